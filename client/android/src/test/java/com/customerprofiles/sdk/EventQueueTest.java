package com.customerprofiles.sdk;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.File;
import java.io.FileWriter;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The durable queue: order kept across restarts, half-written events never sent. */
public class EventQueueTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void keepsEventsInTrackedOrderAcrossARestart() throws Exception {
        EventQueue queue = new EventQueue(folder.getRoot());
        for (int i = 0; i < 25; i++) {
            queue.add("id-" + i, "{\"n\":" + i + "}");
        }
        EventQueue reopened = new EventQueue(folder.getRoot());
        List<EventQueue.Entry> oldest = reopened.oldest(10);
        assertEquals(10, oldest.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("{\"n\":" + i + "}", oldest.get(i).json);
        }
        reopened.remove(oldest);
        assertEquals(15, reopened.size());
        assertEquals("{\"n\":10}", reopened.oldest(1).get(0).json);
    }

    @Test
    public void aHalfWrittenEventIsNotAnEvent() throws Exception {
        File leftover = new File(folder.getRoot(), "0000000000000000001-x.json.tmp");
        try (FileWriter out = new FileWriter(leftover)) {
            out.write("{\"half");
        }
        EventQueue queue = new EventQueue(folder.getRoot());
        assertEquals(0, queue.size());
        assertFalse("removed at start", leftover.exists());
    }

    @Test
    public void trimmingDropsTheOldest() throws Exception {
        EventQueue queue = new EventQueue(folder.getRoot());
        for (int i = 0; i < 5; i++) {
            queue.add("../id/" + i, "{\"n\":" + i + "}");
        }
        assertEquals(2, queue.trimTo(3));
        assertEquals("{\"n\":2}", queue.oldest(1).get(0).json);
        assertEquals("an id cannot name a path", 3, folder.getRoot().list().length);
    }
}
