package io.sfufleet.console.provision.rollout;

import java.util.List;

/** The plan failed its checks: nothing was touched. Every problem found is listed, each with what to do. */
public final class RolloutRefusedException extends RuntimeException {
    private final List<String> problems;

    public RolloutRefusedException(List<String> problems) {
        super("the rollout was not started, nothing was touched: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
