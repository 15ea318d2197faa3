package com.customerprofiles.sdk;

/**
 * Why a send did not go through: the console's error code ({@code rate_limited},
 * {@code invalid_api_key}, {@code origin_not_allowed}…, or {@code network} when it was not
 * reached, {@code http_NNN} when it answered without one), its message, and when the SDK
 * tries again ({@code -1}: it does not: the events were dropped or the key refused).
 */
public final class SendError {
    /** The console's code, {@code network} or {@code http_NNN}. */
    public final String code;
    /** What went wrong, in words. */
    public final String message;
    /** HTTP status, or 0 when the console was not reached. */
    public final int status;
    /** Milliseconds until the next try; -1 when none is planned. */
    public final long retryInMillis;

    SendError(String code, String message, int status, long retryInMillis) {
        this.code = code;
        this.message = message;
        this.status = status;
        this.retryInMillis = retryInMillis;
    }

    @Override
    public String toString() {
        return code + ": " + message + (retryInMillis >= 0 ? " (again in " + retryInMillis + " ms)" : "");
    }
}
