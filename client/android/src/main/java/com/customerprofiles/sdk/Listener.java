package com.customerprofiles.sdk;

import java.util.List;
import java.util.Map;

/**
 * What the SDK tells the app, on its sending thread. Both methods have empty defaults.
 */
public interface Listener {
    /**
     * The console refused an event for good (its type is not allowed for this key, a field is
     * wrong…): it is not sent again. {@code errors} are the console's, each with
     * {@code field} and {@code message}.
     */
    default void onRejected(String eventId, String eventJson, List<Map<String, Object>> errors) {
    }

    /** A send did not go through (or events were dropped); see {@link SendError}. */
    default void onError(SendError error) {
    }
}
