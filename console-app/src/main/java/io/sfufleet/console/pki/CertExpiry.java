package io.sfufleet.console.pki;

import io.sfufleet.console.alerts.AlertKind;
import io.sfufleet.console.alerts.Condition;
import io.sfufleet.console.alerts.ConditionSource;
import io.sfufleet.console.store.ConsoleDatabase;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Expiry warnings for the certificates the nodes serve (the last one pushed to each host):
 * {@code CERT_EXPIRING} when fewer than the warning days are left, {@code CERT_EXPIRED} after.
 * The records are re-read at most once a minute: the alert timer asks every second.
 */
public final class CertExpiry implements ConditionSource {
    public static final int DEFAULT_WARN_DAYS = 30;
    private static final String WARN_KEY = "pki_cert_warn_days";
    private static final long REFRESH_MILLIS = 60_000;

    private final CertStore store;
    private final Duration warnBefore;
    private List<NodeCert> cached = List.of();
    private long readAtMillis = Long.MIN_VALUE;

    public CertExpiry(CertStore store, Duration warnBefore) {
        if (warnBefore.isNegative()) {
            throw new IllegalArgumentException("the expiry warning must not be negative");
        }
        this.store = store;
        this.warnBefore = warnBefore;
    }

    /** With the warning days set for this database ({@link #warnDays}). */
    public static CertExpiry of(ConsoleDatabase db) {
        return new CertExpiry(new CertStore(db), Duration.ofDays(warnDays(db)));
    }

    public static int warnDays(ConsoleDatabase db) {
        synchronized (db) {
            return db.meta(WARN_KEY).map(b -> ByteBuffer.wrap(b).getInt()).orElse(DEFAULT_WARN_DAYS);
        }
    }

    public static void setWarnDays(ConsoleDatabase db, int days) {
        if (days < 1 || days > 365) {
            throw new IllegalArgumentException("the expiry warning must be 1 to 365 days ahead, not " + days);
        }
        synchronized (db) {
            db.putMeta(WARN_KEY, ByteBuffer.allocate(4).putInt(days).array());
        }
    }

    @Override
    public synchronized List<Condition> conditions(long nowMillis) {
        // Long.MIN_VALUE: never read (subtracting it would overflow)
        if (readAtMillis == Long.MIN_VALUE || nowMillis - readAtMillis >= REFRESH_MILLIS || nowMillis < readAtMillis) {
            cached = store.installed();
            readAtMillis = nowMillis;
        }
        return judge(cached, Instant.ofEpochMilli(nowMillis), warnBefore);
    }

    /** Forgets the cached records, after a push. */
    public synchronized void refresh() {
        readAtMillis = Long.MIN_VALUE;
    }

    /** The rule as a pure function: which of {@code certs} expire soon or have expired at {@code now}. */
    public static List<Condition> judge(List<NodeCert> certs, Instant now, Duration warnBefore) {
        List<Condition> out = new ArrayList<>();
        for (NodeCert c : certs) {
            String key = c.host() + "/cert";
            if (c.expired(now)) {
                out.add(new Condition(c.host(), key + "/expired", AlertKind.CERT_EXPIRED, c.host()
                        + "'s certificate (serial " + c.serial() + ") expired on " + c.notAfter()
                        + ": clients refuse it; renew with sfu-console certs issue and certs push"));
            } else if (now.plus(warnBefore).isAfter(c.notAfter())) {
                out.add(new Condition(c.host(), key + "/expiring", AlertKind.CERT_EXPIRING, c.host()
                        + "'s certificate (serial " + c.serial() + ") expires on " + c.notAfter() + ", in "
                        + c.daysLeft(now) + " days: renew with sfu-console certs issue and certs push"));
            }
        }
        return out;
    }
}
