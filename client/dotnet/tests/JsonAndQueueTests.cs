using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace CustomerProfiles.Sdk.Tests
{
    /// <summary>The SDK's own JSON, and its durable queue.</summary>
    [TestFixture]
    public class JsonAndQueueTests
    {
        string folder;

        [SetUp]
        public void CreateFolder()
        {
            folder = Path.Combine(Path.GetTempPath(), "cp-dotnet-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
        }

        [TearDown]
        public void RemoveFolder() { Directory.Delete(folder, true); }

        [Test]
        public void WritesEveryStringSafely()
        {
            var payload = new Dictionary<string, object>
            {
                ["quote\""] = "back\\slash\nline\ttab\u0001\u2028",
                ["emoji"] = "Zo\u00eb \ud83d\udc4b",
                ["numbers"] = new List<object> { 1, 2.5, -3L, true, null, 0.1 },
            };
            Assert.AreEqual("{\"quote\\\"\":\"back\\\\slash\\nline\\ttab\\u0001\\u2028\","
                + "\"emoji\":\"Zo\u00eb \ud83d\udc4b\",\"numbers\":[1,2.5,-3,true,null,0.1]}", Json.Write(payload));
            Assert.Throws<ArgumentException>(() => Json.Write(double.NaN));
        }

        [Test]
        public void ReadsTheConsolesAnswers()
        {
            var answer = (Dictionary<string, object>)Json.Parse(" {\"accepted\":0,\"results\":[{\"index\":1,"
                + "\"status\":\"rejected\",\"errors\":[{\"field\":\"type\",\"message\":\"Not \\u00e9 \\ud83d\\udc4b\"}]}],"
                + "\"ratio\":1.5e2,\"big\":123456789012345678901,\"none\":null} ");
            Assert.AreEqual(0L, answer["accepted"]);
            Assert.AreEqual(150.0, answer["ratio"]);
            Assert.AreEqual(1.2345678901234568E20, answer["big"]);
            Assert.IsNull(answer["none"]);
            var result = (Dictionary<string, object>)((List<object>)answer["results"])[0];
            Assert.AreEqual(1L, result["index"]);
            var error = (Dictionary<string, object>)((List<object>)result["errors"])[0];
            Assert.AreEqual("Not \u00e9 \ud83d\udc4b", error["message"]);
        }

        [Test]
        public void RefusesWhatIsNotJson()
        {
            foreach (var bad in new[] { "", "{", "{\"a\" 1}", "[1,]", "\"open", "nul", "{} x", "\"\\q\"", "\"\\u12\"", "-", "1.2.3", "\"tab\tinside\"" })
            {
                Assert.Throws<FormatException>(() => Json.Parse(bad), bad);
            }
            var error = Assert.Throws<FormatException>(() => Json.Parse(new string('[', 100)));
            StringAssert.Contains("nested deeper", error.Message);
        }

        [Test]
        public void KeepsEventsInTrackedOrderAcrossARestart()
        {
            var queue = new EventQueue(folder);
            for (var i = 0; i < 25; i++) queue.Add("../id/" + i, "{\"n\":" + i + "}");
            var reopened = new EventQueue(folder);
            var oldest = reopened.Oldest(10);
            CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => "{\"n\":" + i + "}").ToList(),
                oldest.Select(e => e.Json).ToList());
            reopened.Remove(oldest);
            Assert.AreEqual(15, reopened.Count);
            Assert.AreEqual(2, reopened.TrimTo(13));
            Assert.AreEqual("{\"n\":12}", reopened.Oldest(1)[0].Json);
            Assert.AreEqual(13, Directory.GetFiles(folder).Length, "an id cannot name a path");
        }

        [Test]
        public void AHalfWrittenEventIsNotAnEvent()
        {
            var leftover = Path.Combine(folder, "0000000000000000001-x.json.tmp");
            File.WriteAllText(leftover, "{\"half");
            Assert.AreEqual(0, new EventQueue(folder).Count);
            Assert.IsFalse(File.Exists(leftover), "removed at start");
        }
    }
}
