package foundation.foxlight.skulklogs.it;

/** Tear-down of what a test started, for {@code @AfterEach} methods. */
final class TearDown {
    private TearDown() {
    }

    /**
     * Closes each resource in the order given, skipping nulls (never started). Every one is closed even when an
     * earlier one fails; the first failure is thrown at the end, later ones attached to it as suppressed.
     */
    static void closeInOrder(AutoCloseable... resources) throws Exception {
        Throwable failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception | Error e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw (Exception) failure;
        }
    }
}
