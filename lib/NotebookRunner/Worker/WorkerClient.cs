using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace NotebookRunner.Worker;

/// <summary>How a cell ended in the worker: the kernel's verdict, or the worker timing out or dying under it.</summary>
public sealed record CellRun(WorkerMessage? Done, bool TimedOut, string? WorkerDied);

/// <summary>
/// The runner's side of a worker process (this program, <c>worker &lt;folder&gt;</c>): starts it, sends cells, hands
/// each message to the caller as it arrives; kills the process tree on a timeout; reports its exit code and the end of its
/// stderr when it dies (Environment.Exit, a stack overflow, a crash).
/// </summary>
public sealed class WorkerClient : IAsyncDisposable
{
    readonly Process _process;
    readonly Channel<WorkerMessage> _messages = Channel.CreateUnbounded<WorkerMessage>();
    readonly StringBuilder _stderr = new();
    readonly Task _pump;

    WorkerClient(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
                if (_stderr.Length > 64_000)
                    _stderr.Remove(0, _stderr.Length - 32_000);
            }
        };
        _process.BeginErrorReadLine();
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The .NET runtime's override of <see cref="Environment.ProcessorCount"/>.</summary>
    public const string ProcessorCountVariable = "DOTNET_PROCESSOR_COUNT";

    public static async Task<WorkerClient> StartAsync(string notebookDirectory, TimeSpan startTimeout, int? processors = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = notebookDirectory,
        };
        // Under `dotnet NotebookRunner.dll` (or a test host) the entry assembly is what to start, through dotnet.
        var self = typeof(WorkerClient).Assembly.Location;
        if (!Path.GetFileNameWithoutExtension(start.FileName).Equals("NotebookRunner", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = DotnetHost();
            start.ArgumentList.Add(self);
        }
        start.ArgumentList.Add("worker");
        start.ArgumentList.Add(notebookDirectory);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The share (ProcessorShare) applies only where the user has not set the variable: their own setting wins.
        if (processors is { } count && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ProcessorCountVariable)))
            start.Environment[ProcessorCountVariable] = count.ToString(CultureInfo.InvariantCulture);
        var client = new WorkerClient(Process.Start(start) ?? throw new InvalidOperationException("could not start the worker process"));
        var ready = await client.NextAsync(startTimeout);
        if (ready?.Type != "ready")
        {
            var why = client.DeathNote() ?? $"it did not start within {startTimeout.TotalSeconds:0}s";
            await client.DisposeAsync();
            throw new InvalidOperationException($"the kernel's worker process failed to start: {why}");
        }
        return client;
    }

    static string DotnetHost()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(root) && File.Exists(root))
            return root;
        var besideRuntime = Path.GetFullPath(
            Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet")
        );
        return File.Exists(besideRuntime) ? besideRuntime : "dotnet";
    }

    async Task PumpAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
                if (WorkerJson.Read<WorkerMessage>(line) is { Type: not null } message)
                    await _messages.Writer.WriteAsync(message);
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    async Task<WorkerMessage?> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Runs one cell; every message before <c>done</c> goes to <paramref name="onMessage"/> as it arrives.</summary>
    public async Task<CellRun> RunCellAsync(CellRequest request, TimeSpan timeout, Action<WorkerMessage> onMessage)
    {
        await _process.StandardInput.WriteLineAsync(WorkerJson.Write(request));
        await _process.StandardInput.FlushAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - deadline.Elapsed;
            var message = left > TimeSpan.Zero ? await NextAsync(left) : null;
            if (message is null)
            {
                if (_messages.Reader.Completion.IsCompleted)
                    return new CellRun(null, false, await WaitForDeathAsync());
                Kill();
                return new CellRun(null, true, null);
            }
            if (message.Type == "done")
                return new CellRun(message, false, null);
            onMessage(message);
        }
    }

    async Task<string> WaitForDeathAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        return DeathNote() ?? "the worker process stopped answering";
    }

    string? DeathNote()
    {
        if (!_process.HasExited)
            return null;
        string[] lines;
        lock (_stderr)
            lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The runtime's own last words ("Stack overflow.", "Unhandled exception. ...") say more than the frames after them.
        var said =
            lines.FirstOrDefault(l =>
                l.StartsWith("Stack overflow", StringComparison.Ordinal) || l.StartsWith("Unhandled exception", StringComparison.Ordinal)
            ) ?? lines.LastOrDefault();
        if (said?.Length > 300)
            said = said[..300] + "…";
        return $"the worker process exited with code {_process.ExitCode}" + (said is null ? "" : $": {said}");
    }

    void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException) { }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _process.Dispose();
    }
}
