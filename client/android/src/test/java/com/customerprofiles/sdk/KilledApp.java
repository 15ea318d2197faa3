package com.customerprofiles.sdk;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An app in a process of its own, killed by the test mid-send: tracks {@code count} events in
 * batches of 10 for the customer with external id {@code externalId}, prints their ids on one
 * line ({@code tracked id,id,…}) once all are queued, then waits to be killed.
 * Arguments: directory, endpoint, key, app id, external id, count.
 */
public final class KilledApp {
    private KilledApp() {
    }

    public static void main(String[] args) throws Exception {
        CustomerProfiles profiles = CustomerProfiles
                .builder(args[2], args[1], args[3], new File(args[0]))
                .batchSize(10)
                .flushIntervalMillis(60000)
                .build();
        profiles.identify("external_id", args[4]);
        List<String> ids = new ArrayList<String>();
        for (int i = 0; i < Integer.parseInt(args[5]); i++) {
            ids.add(profiles.track("app_session", Collections.singletonMap("platform", "android")));
        }
        System.out.println("tracked " + String.join(",", ids));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
