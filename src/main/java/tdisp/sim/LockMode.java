package tdisp.sim;

/** How a lock is taken: a mutex, or one side of an rw_semaphore. */
public enum LockMode {
    MUTEX("mutex_lock", "mutex_unlock"),
    READ("down_read", "up_read"),
    WRITE("down_write", "up_write");

    private final String lockVerb;
    private final String unlockVerb;

    LockMode(String lockVerb, String unlockVerb) {
        this.lockVerb = lockVerb;
        this.unlockVerb = unlockVerb;
    }

    public String verb(boolean acquire) { return acquire ? lockVerb : unlockVerb; }
}
