package io.sfufleet.sfu.config;

import io.sfufleet.model.config.HostChecks;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the loader asks the host for when a value is left automatic, and whether the files the
 * config names are readable here. An interface so tests and demos get a fixed answer instead of
 * whatever the build machine's network looks like.
 */
public interface HostEnvironment extends HostChecks {

    /** Relative paths resolve against the working directory, like any other path the process opens. */
    @Override
    default String unreadableFile(String name) {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            return "not a valid path";
        }
        if (!Files.exists(path)) {
            return "file not found";
        } else if (!Files.isRegularFile(path)) {
            return "not a regular file";
        } else if (!Files.isReadable(path)) {
            return "not readable by this process";
        }
        return null;
    }

    /** The machine this JVM runs on. */
    static HostEnvironment system() {
        return SystemHostEnvironment.INSTANCE;
    }

    /** A host with the given name and address; {@code ipv4} null for a host with no usable address. */
    static HostEnvironment fixed(String hostName, String ipv4) {
        return new HostEnvironment() {
            @Override
            public String hostName() {
                return hostName;
            }

            @Override
            public Optional<String> firstUpIpv4Address() {
                return Optional.ofNullable(ipv4);
            }
        };
    }
}
