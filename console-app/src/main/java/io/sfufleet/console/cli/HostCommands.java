package io.sfufleet.console.cli;

import io.sfufleet.console.provision.HostAuth;
import io.sfufleet.console.provision.HostEntry;
import io.sfufleet.console.provision.HostService;
import io.sfufleet.console.provision.HostStore;
import io.sfufleet.console.provision.SshConnector;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hosts add|trust|list|remove}: hosts to provision over SSH. */
@Command(name = "hosts", description = "Hosts to provision over SSH.", subcommands = CommandLine.HelpCommand.class)
final class HostCommands {
    @ParentCommand
    ConsoleCli root;

    static HostService service(ConsoleCli.Store s, java.time.Clock clock) {
        return new HostService(new HostStore(s.database(), s.inventory(), clock), SshConnector.withDefaults(),
                s.audit());
    }

    @Command(name = "add", description = "Add a host and show its SSH host key, to be accepted with hosts trust.")
    int add(@Parameters(index = "0", paramLabel = "NAME", description = "a name for the host (and its node)") String name,
            @Parameters(index = "1", paramLabel = "ADDRESS", description = "IP address or DNS name") String address,
            @Option(names = "--port", defaultValue = "22", description = "SSH port (default ${DEFAULT-VALUE})") int port,
            @Option(names = "--user", required = true, description = "SSH user (root, or a user with sudo)") String user,
            @Option(names = "--key", paramLabel = "FILE", description = "private key file (ed25519 or RSA)") String key,
            @Option(names = "--key-passphrase-env", paramLabel = "VAR",
                    description = "variable holding the key's passphrase") String keyPassEnv,
            @Option(names = "--password-env", paramLabel = "VAR",
                    description = "variable holding the SSH password") String passwordEnv,
            @Option(names = "--prefix", defaultValue = "/opt/sfu",
                    description = "install prefix on the host (default ${DEFAULT-VALUE})") String prefix,
            @Option(names = "--auth", paramLabel = "KIND", description = "key, password or agent (the keys of the "
                    + "running ssh-agent, SSH_AUTH_SOCK); default: key with --key, password with --password-env")
                    String authKind) {
        HostAuth auth = authKind != null ? HostAuth.parse(authKind) : key != null ? HostAuth.KEY
                : passwordEnv != null ? HostAuth.PASSWORD : null;
        if (auth == HostAuth.AGENT) {
            if (key != null || passwordEnv != null || keyPassEnv != null) {
                throw new IllegalArgumentException("--auth agent takes no --key, --key-passphrase-env or --password-env: "
                        + "the agent holds the keys");
            }
        } else if ((key == null) == (passwordEnv == null) || (auth == HostAuth.KEY) != (key != null)) {
            throw new IllegalArgumentException("give either --key FILE, --password-env VAR or --auth agent");
        }
        if (keyPassEnv != null && key == null) {
            throw new IllegalArgumentException("--key-passphrase-env goes with --key");
        }
        String secret = key != null ? variable(keyPassEnv, "--key-passphrase-env") : variable(passwordEnv, "--password-env");
        HostStore.NewHost h = new HostStore.NewHost(name, address, port, user,
                auth,
                key == null ? null : java.nio.file.Path.of(key).toAbsolutePath().toString(), secret, prefix);
        return root.withStore(s -> {
            HostService.Added added = service(s, root.clock).add(h);
            HostEntry e = added.host();
            root.out.println("added " + e.name() + " (" + e.target() + ", prefix " + e.prefix() + ")"
                    + (e.secret() == null ? "" : ", " + (e.auth() == HostAuth.PASSWORD ? "password" : "key passphrase")
                            + " encrypted"));
            root.out.println("host key: " + added.presented().type() + " " + added.presented().fingerprint());
            root.out.println("NOT TRUSTED YET: compare it with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_"
                    + added.presented().type().replace("ssh-", "").replace("ecdsa-sha2-nistp256", "ecdsa")
                    + "_key.pub, on its console), then run:");
            root.out.println("  sfu-console hosts trust " + e.name() + " " + added.presented().fingerprint());
            return ConsoleCli.EXIT_OK;
        });
    }

    private String variable(String var, String option) {
        if (var == null) {
            return null;
        }
        String v = root.env.get(var);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(option + " " + var + ": that variable is not set");
        }
        return v;
    }

    @Command(name = "trust", description = "Accept the host key with this fingerprint, after logging in with it.")
    int trust(@Parameters(index = "0", paramLabel = "NAME") String name,
              @Parameters(index = "1", paramLabel = "FINGERPRINT", description = "SHA256:... as hosts add showed it")
              String fingerprint,
              @Option(names = "--replace", description = "replace a pinned key (after checking why it changed)")
              boolean replace) {
        return root.withStore(s -> {
            HostEntry e = service(s, root.clock).trust(name, fingerprint, replace);
            root.out.println("trusted " + e.name() + ": " + e.hostKeyType() + " " + e.hostKeyFingerprint()
                    + " pinned; logged in as " + e.user());
            return ConsoleCli.EXIT_OK;
        });
    }

    /** What {@code hosts list --json} prints: never a secret. */
    public record HostView(String name, String address, int sshPort, String user, String auth, String keyFile,
            String hostKeyFingerprint, String prefix, long addedAtMillis) {
    }

    @Command(name = "list", description = "The hosts, with their pinned host keys.")
    int list(@Option(names = "--json", description = "print as JSON") boolean asJson) {
        return root.withStore(s -> {
            List<HostEntry> hosts = service(s, root.clock).list();
            if (asJson) {
                root.printJson(hosts.stream().map(h -> new HostView(h.name(), h.address(), h.sshPort(), h.user(),
                        h.auth().name().toLowerCase(java.util.Locale.ROOT), h.keyFile(), h.hostKeyFingerprint(),
                        h.prefix(), h.addedAtMillis())).toList());
            } else {
                Table t = new Table("NAME", "SSH", "AUTH", "HOST KEY", "PREFIX", "ADDED");
                hosts.forEach(h -> t.row(h.name(), h.target(), h.auth().name().toLowerCase(java.util.Locale.ROOT),
                        h.trusted() ? h.hostKeyFingerprint() : "(not trusted)", h.prefix(),
                        Instant.ofEpochMilli(h.addedAtMillis())));
                t.print(root.out);
            }
            return ConsoleCli.EXIT_OK;
        });
    }

    @Command(name = "remove", description = "Forget a host (nothing on the host is touched).")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        return root.withStore(s -> {
            service(s, root.clock).remove(name);
            root.out.println("removed " + name);
            return ConsoleCli.EXIT_OK;
        });
    }
}
