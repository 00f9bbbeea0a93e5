package io.sfufleet.console.provision.config;

import io.sfufleet.model.config.ConfigProblem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A config value or a whole config the shared rules refuse. Thrown before anything is stored or
 * pushed; each problem names the key, the value and the reason.
 */
public final class ConfigRefusedException extends IllegalArgumentException {
    private final List<ConfigProblem> problems;

    public ConfigRefusedException(String what, List<ConfigProblem> problems) {
        super(what + ", nothing was stored or pushed:\n" + problems.stream().map(ConfigProblem::toString)
                .collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
