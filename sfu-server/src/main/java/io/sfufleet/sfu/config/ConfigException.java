package io.sfufleet.sfu.config;

import io.sfufleet.model.config.ConfigProblem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration could not be loaded. Carries every problem found, so an operator fixes them
 * in one round instead of one restart per mistake.
 */
public final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        return "invalid configuration, " + problems.size() + (problems.size() == 1 ? " problem:\n" : " problems:\n")
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
