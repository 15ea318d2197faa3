using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CustomerProfiles.Sdk.Tests
{
    /// <summary>
    /// A TCP forwarder to the console on a port of its own, for the network the tests need:
    /// nothing listening (offline) until <see cref="Start"/>, and optionally the console's answers
    /// swallowed (the console has stored a batch, the app never hears of it).
    /// </summary>
    sealed class Proxy : IDisposable
    {
        readonly int targetPort;
        TcpListener listener;
        volatile bool swallowAnswers;
        /// <summary>Set when an answer was swallowed.</summary>
        internal readonly ManualResetEventSlim Swallowed = new ManualResetEventSlim();
        internal readonly int Port;

        internal Proxy(int targetPort)
        {
            this.targetPort = targetPort;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        internal string Endpoint => "http://127.0.0.1:" + Port;

        internal void SwallowAnswers() { swallowAnswers = true; }

        /// <summary>Starts listening (the network comes back).</summary>
        internal void Start()
        {
            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Start();
            Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient app;
                    try { app = await listener.AcceptTcpClientAsync(); }
                    catch (Exception) { return; }
                    var console = new TcpClient();
                    await console.ConnectAsync(IPAddress.Loopback, targetPort);
                    Pipe(app, console, false);
                    Pipe(console, app, true);
                }
            });
        }

        void Pipe(TcpClient from, TcpClient to, bool answers)
        {
            Task.Run(async () =>
            {
                var buffer = new byte[8192];
                try
                {
                    var input = from.GetStream();
                    var output = to.GetStream();
                    int n;
                    while ((n = await input.ReadAsync(buffer, 0, buffer.Length)) > 0)
                    {
                        if (answers && swallowAnswers)
                        {
                            Swallowed.Set();
                            return;
                        }
                        await output.WriteAsync(buffer, 0, n);
                    }
                }
                catch (Exception)
                {
                    // Either side went away.
                }
                finally
                {
                    from.Close();
                    to.Close();
                }
            });
        }

        public void Dispose()
        {
            if (listener != null) listener.Stop();
        }
    }
}
