package io.sfufleet.console.provision.rollout;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a rollout will do, checked before anything is touched: the bundle (its signature verified
 * against the site key) and the hosts in the order they are upgraded.
 *
 * @param target the bundle's version
 */
public record RolloutPlan(Path bundle, Path siteKey, String target, List<Step> steps) {
    public RolloutPlan {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(siteKey, "siteKey");
        Objects.requireNonNull(target, "target");
        steps = List.copyOf(steps);
    }

    /**
     * One host of the plan.
     *
     * @param node    the fleet node installed there (the name it was installed under)
     * @param current the version its API reports now
     * @param skip    true when it already runs {@code target}: left alone
     */
    public record Step(String host, String node, String current, String target, boolean skip) {
        public Step {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(target, "target");
        }
    }

    /** The steps that will be upgraded. */
    public List<Step> toUpgrade() {
        return steps.stream().filter(s -> !s.skip()).toList();
    }
}
