using System.Diagnostics;
using System.Net.Sockets;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>
/// Debian's tpm2-tools and swtpm, as the measurement tests use them. Missing: a failure under CI=true, else a skip.
/// </summary>
public static class TpmTools
{
    public static void Require(string tool)
    {
        if (File.Exists(tool)) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"required test tool missing: {tool} (apt-get install swtpm tpm2-tools)");
        Assert.Skip($"required test tool missing: {tool}");
    }

    /// <summary>tpm2_eventlog's replayed value of one PCR ("pcrs: / bank: / N : 0xHEX"), failing when it cannot parse the log.</summary>
    public static string EventlogPcr(string log, string bank, uint index)
    {
        Require("/usr/bin/tpm2_eventlog");
        var psi = new ProcessStartInfo("/usr/bin/tpm2_eventlog") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(log);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"tpm2_eventlog exit {p.ExitCode}: {stderr}");
        var lines = stdout[stdout.IndexOf("\npcrs:", StringComparison.Ordinal)..].Split('\n').Select(l => l.Trim()).ToList();
        var line = lines.Skip(lines.IndexOf(bank + ":") + 1).First(l => l.StartsWith($"{index} ", StringComparison.Ordinal));
        return line[(line.IndexOf("0x", StringComparison.Ordinal) + 2)..];
    }

    /// <summary>A fresh swtpm TPM 2.0 serving raw commands on a unix socket; disposed with the test.</summary>
    public sealed class Swtpm : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-swtpm-").FullName;
        private readonly Process _process;
        private Socket? _connection;

        public Swtpm()
        {
            Require("/usr/bin/swtpm");
            Socket = Path.Combine(_dir, "tpm.sock");
            var psi = new ProcessStartInfo("/usr/bin/swtpm") { RedirectStandardError = true };
            foreach (var a in new[] { "socket", "--tpm2", "--tpmstate", "dir=" + _dir, "--server", "type=unixio,path=" + Socket,
                         "--ctrl", "type=unixio,path=" + Path.Combine(_dir, "ctrl.sock"), "--flags", "not-need-init,startup-clear" })
                psi.ArgumentList.Add(a);
            _process = Process.Start(psi)!;
            for (var i = 0; i < 100 && !File.Exists(Socket); i++) Thread.Sleep(50);
            Assert.True(File.Exists(Socket), "swtpm did not create its socket");
        }

        public string Socket { get; }

        /// <summary>
        /// One command, one response, over one connection kept for the TPM's life: swtpm serves a single client at a
        /// time and refuses a new connection while it is still closing the last one.
        /// </summary>
        public byte[] Send(byte[] command)
        {
            if (_connection is null)
            {
                _connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                _connection.Connect(new UnixDomainSocketEndPoint(Socket));
            }
            _connection.Send(command);
            var response = new byte[4096];
            var n = 0;
            while (n < 10 || n < System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(2, 4)))
            {
                var got = _connection.Receive(response, n, response.Length - n, SocketFlags.None);
                if (got == 0) break;
                n += got;
            }
            return response[..n];
        }

        public void Dispose()
        {
            _connection?.Dispose();
            _process.Kill();
            _process.WaitForExit();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
