package foundation.foxlight.skulklogs.it.victorialogs;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A VictoriaLogs tenant: the {@code AccountID} and {@code ProjectID} request headers (each an unsigned 32-bit
 * number; both 0 when the headers are absent). Rows are stored per tenant and a query sees only its own tenant.
 *
 * <p>Tests that may run against a shared real server use {@link #random()} so they never see rows from other
 * tests or earlier runs.
 *
 * @param accountId the {@code AccountID}, 0 to 4294967295
 * @param projectId the {@code ProjectID}, 0 to 4294967295
 */
public record Tenant(long accountId, long projectId) {
    /** The tenant used when no tenancy headers are sent. */
    public static final Tenant DEFAULT = new Tenant(0, 0);

    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    public Tenant {
        if (accountId < 0 || accountId > MAX_UINT32 || projectId < 0 || projectId > MAX_UINT32) {
            throw new IllegalArgumentException("AccountID and ProjectID must be uint32: " + accountId + ":" + projectId);
        }
    }

    /** A tenant with random non-zero ids, for isolation from every other test on a shared server. */
    public static Tenant random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new Tenant(r.nextLong(1, MAX_UINT32), r.nextLong(1, MAX_UINT32));
    }

    /** Whether requests for this tenant carry the tenancy headers (the default tenant needs none). */
    public boolean isDefault() {
        return accountId == 0 && projectId == 0;
    }

    @Override
    public String toString() {
        return accountId + ":" + projectId;
    }
}
