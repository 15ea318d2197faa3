using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CustomerProfiles.Sdk
{
    /// <summary>
    /// Events waiting for the console's answer, one file each in a directory the app owns
    /// (<c>FileSystem.AppDataDirectory</c> in MAUI, <c>Environment.SpecialFolder.LocalApplicationData</c>
    /// in Xamarin): written to a temporary file, flushed to disk, then renamed into place, so a
    /// process killed at any moment leaves each event whole in the queue or not tracked at all.
    /// File names sort in the order events were tracked. An event leaves the queue once the
    /// console has answered for it; sent again after a crash, its <c>event_id</c> is stored once.
    /// </summary>
    internal sealed class EventQueue
    {
        internal static readonly Encoding Utf8 = new UTF8Encoding(false);
        const string Suffix = ".json";
        readonly string directory;
        readonly object gate = new object();
        long lastStamp;

        /// <summary>One queued event: its file and its JSON text.</summary>
        internal sealed class Entry
        {
            internal readonly string File;
            internal readonly string Json;

            internal Entry(string file, string json)
            {
                File = file;
                Json = json;
            }
        }

        internal EventQueue(string directory)
        {
            this.directory = directory;
            Directory.CreateDirectory(directory);
            // A temporary file is an event whose Track() never returned: not tracked.
            foreach (var leftover in Directory.GetFiles(directory, "*.tmp")) File.Delete(leftover);
        }

        /// <summary>Adds an event (its JSON text) durably; returns once it is on disk.</summary>
        internal void Add(string eventId, string json)
        {
            lock (gate)
            {
                // Time first so the order survives restarts; a counter when the clock does not move.
                var stamp = Math.Max(DateTime.UtcNow.Ticks / 10, lastStamp + 1);
                lastStamp = stamp;
                var name = stamp.ToString("D19") + "-" + Regex.Replace(eventId, "[^A-Za-z0-9-]", "_");
                WriteDurably(Path.Combine(directory, name + Suffix), json);
            }
        }

        /// <summary>The oldest <paramref name="count"/> events, oldest first.</summary>
        internal List<Entry> Oldest(int count)
        {
            lock (gate)
            {
                return Files().Take(count).Select(f => new Entry(f, File.ReadAllText(f, Utf8))).ToList();
            }
        }

        /// <summary>How many events wait.</summary>
        internal int Count
        {
            get { lock (gate) return Files().Length; }
        }

        /// <summary>Removes the events the console answered for.</summary>
        internal void Remove(IEnumerable<Entry> entries)
        {
            lock (gate)
            {
                foreach (var entry in entries) File.Delete(entry.File);
            }
        }

        /// <summary>Removes all but the newest <paramref name="keep"/> events; returns how many went.</summary>
        internal int TrimTo(int keep)
        {
            lock (gate)
            {
                var files = Files();
                var dropped = Math.Max(0, files.Length - keep);
                foreach (var file in files.Take(dropped)) File.Delete(file);
                return dropped;
            }
        }

        string[] Files()
        {
            var files = Directory.GetFiles(directory, "*" + Suffix)
                .Where(f => f.EndsWith(Suffix, StringComparison.Ordinal))
                .ToArray();
            Array.Sort(files, StringComparer.Ordinal);
            return files;
        }

        /// <summary>
        /// Writes <paramref name="text"/> to <paramref name="file"/> whole or not at all: a temporary
        /// file beside it, flushed to disk, then moved over it.
        /// </summary>
        internal static void WriteDurably(string file, string text)
        {
            var temporary = file + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                var bytes = Utf8.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }
            if (File.Exists(file)) File.Replace(temporary, file, null);
            else File.Move(temporary, file);
        }
    }
}
