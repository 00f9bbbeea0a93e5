package io.sfufleet.console.provision;

/**
 * One preflight line: what was checked, the verdict, what was found, and what to do (empty for OK).
 */
public record Check(String name, Verdict verdict, String found, String todo) {
    public static Check ok(String name, String found) {
        return new Check(name, Verdict.OK, found, "");
    }

    public static Check warn(String name, String found, String todo) {
        return new Check(name, Verdict.WARN, found, todo);
    }

    public static Check fail(String name, String found, String todo) {
        return new Check(name, Verdict.FAIL, found, todo);
    }
}
