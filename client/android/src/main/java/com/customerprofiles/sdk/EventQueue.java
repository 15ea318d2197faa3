package com.customerprofiles.sdk;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Events waiting for the console's answer, one file each in a directory the app owns
 * ({@code context.getFilesDir()} on Android): written to a temporary file, synced, then renamed
 * into place, so a process killed at any moment leaves each event either whole in the queue or
 * not tracked at all. File names sort in the order events were tracked. An event leaves the queue
 * only once the console has answered for it; sent again after a crash, the console stores its
 * {@code event_id} once.
 */
final class EventQueue {
    static final Charset UTF8 = Charset.forName("UTF-8");
    private static final String SUFFIX = ".json";
    private final File directory;
    private long lastStamp;

    /** One queued event: its file and its JSON text. */
    static final class Entry {
        final File file;
        final String json;

        Entry(File file, String json) {
            this.file = file;
            this.json = json;
        }
    }

    EventQueue(File directory) throws IOException {
        this.directory = directory;
        if (!directory.isDirectory() && !directory.mkdirs()) {
            throw new IOException("Cannot create the event queue at " + directory);
        }
        // A temporary file is an event whose track() never returned: not tracked.
        File[] leftovers = directory.listFiles((dir, name) -> name.endsWith(".tmp"));
        for (File leftover : leftovers == null ? new File[0] : leftovers) {
            leftover.delete();
        }
    }

    /** Adds an event (its JSON text) durably; returns once it is on disk. */
    synchronized void add(String eventId, String json) throws IOException {
        // Time first so the order survives restarts; a counter when the clock does not move.
        long stamp = Math.max(System.currentTimeMillis() * 1000, lastStamp + 1);
        lastStamp = stamp;
        String name = String.format("%019d-%s", stamp, eventId.replaceAll("[^A-Za-z0-9-]", "_"));
        writeDurably(new File(directory, name + SUFFIX), json);
    }

    /** The oldest {@code count} events, oldest first. */
    synchronized List<Entry> oldest(int count) throws IOException {
        List<Entry> entries = new ArrayList<Entry>();
        for (File file : files()) {
            if (entries.size() == count) {
                break;
            }
            entries.add(new Entry(file, read(file)));
        }
        return entries;
    }

    /** How many events wait. */
    synchronized int size() {
        return files().length;
    }

    /** Removes the events the console answered for. */
    synchronized void remove(List<Entry> entries) {
        for (Entry entry : entries) {
            entry.file.delete();
        }
    }

    /** Removes all but the newest {@code keep} events; returns how many went. */
    synchronized int trimTo(int keep) {
        File[] files = files();
        int dropped = Math.max(0, files.length - keep);
        for (int i = 0; i < dropped; i++) {
            files[i].delete();
        }
        return dropped;
    }

    private File[] files() {
        File[] files = directory.listFiles((dir, name) -> name.endsWith(SUFFIX));
        if (files == null) {
            return new File[0];
        }
        Arrays.sort(files);
        return files;
    }

    /**
     * Writes {@code text} to {@code file} whole or not at all: a temporary file beside it, synced,
     * then renamed over it.
     */
    static void writeDurably(File file, String text) throws IOException {
        File temporary = new File(file.getPath() + ".tmp");
        FileOutputStream out = new FileOutputStream(temporary);
        try {
            out.write(text.getBytes(UTF8));
            out.getFD().sync();
        } finally {
            out.close();
        }
        if (!temporary.renameTo(file)) {
            temporary.delete();
            throw new IOException("Cannot write " + file);
        }
    }

    /** The text of {@code file}, UTF-8. */
    static String read(File file) throws IOException {
        InputStream in = new FileInputStream(file);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0;) {
                bytes.write(buffer, 0, n);
            }
            return new String(bytes.toByteArray(), UTF8);
        } finally {
            in.close();
        }
    }
}
