using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NotebookRunner.Worker;

/// <summary>
/// The worker process: one notebook's kernel, in the notebook's folder and culture. Reads cell requests from stdin, writes
/// the protocol to a private copy of stdout; file descriptor 1 itself is pointed at stderr, so a cell that writes to the raw
/// stdout stream cannot corrupt the protocol (in VS Code such bytes go to the kernel's JSON channel and are lost).
/// </summary>
public static partial class WorkerServer
{
    public static async Task<int> RunAsync(string directory, CancellationToken cancellationToken)
    {
        var protocol = new StreamWriter(OpenProtocolStream(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        var gate = new Lock();
        void Send(WorkerMessage message)
        {
            var line = WorkerJson.Write(message);
            lock (gate)
                protocol.WriteLine(line);
        }

        Environment.CurrentDirectory = directory;
        var culture = Runner.NotebookCulture();
        CultureInfo.DefaultThreadCurrentCulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        using var kernel = new NotebookKernel();
        Send(new() { Type = "ready" });
        var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (WorkerJson.Read<CellRequest>(line) is { } request)
                await kernel.RunAsync(request, Send);
        }
        return 0;
    }

    /// <summary>A duplicate of fd 1 for the protocol, then fd 1 → fd 2 (Unix); elsewhere stdout itself.</summary>
    static Stream OpenProtocolStream()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var copy = Dup(1);
            if (copy >= 0 && Dup2(2, 1) >= 0)
                return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(copy, ownsHandle: true), FileAccess.Write, 0);
        }
        return Console.OpenStandardOutput();
    }

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int fd, int fd2);
}
