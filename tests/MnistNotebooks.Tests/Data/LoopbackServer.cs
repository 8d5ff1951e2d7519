using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MnistNotebooks.Tests.Data;

/// <summary>What the loopback server sends for one request; <see cref="DeclaredLength"/> larger than the body simulates a
/// transfer cut short; <see cref="StallAfter"/> sends that many bytes of the body (-1: not even the headers), then nothing
/// more until the server stops.</summary>
internal sealed record Reply(int Status, byte[] Body, long? DeclaredLength = null, int? StallAfter = null)
{
    public static Reply NotFound { get; } = new(404, "not here"u8.ToArray());
}

/// <summary>A minimal HTTP/1.1 server on 127.0.0.1 (free port): one request per connection, replies chosen by path, then closes.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<string, Reply> handler;
    private readonly Task loop;
    private readonly TaskCompletionSource<string> stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoopbackServer(Func<string, Reply> handler)
    {
        this.handler = handler;
        listener.Start();
        loop = Task.Run(AcceptLoop);
    }

    /// <summary>The mirror base URL, e.g. http://127.0.0.1:40123/mnist/.</summary>
    public Uri Mirror => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/mnist/");

    /// <summary>Every request path seen, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Completes with the request path when a reply has sent its <see cref="Reply.StallAfter"/> bytes and stalls.</summary>
    public Task<string> Stalled => stalled.Task;

    /// <summary>A client that never uses a proxy, so requests stay on the loopback.</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string path = await ReadRequestPath(stream);
                Requests.Enqueue(path);
                Reply reply = handler(path);
                string head = string.Create(
                    CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {reply.Status} X\r\nContent-Type: application/octet-stream\r\nContent-Length: {reply.DeclaredLength ?? reply.Body.Length}\r\nConnection: close\r\n\r\n"
                );
                if (reply.StallAfter is not -1)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                }
                if (reply.StallAfter is int sent)
                {
                    await stream.WriteAsync(reply.Body.AsMemory(0, Math.Max(sent, 0)));
                    await stream.FlushAsync();
                    stalled.TrySetResult(path);
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                await stream.WriteAsync(reply.Body);
                await stream.FlushAsync();
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (IOException) { }
            catch (SocketException) { }
            catch (OperationCanceledException) { }
        }
    }

    private static async Task<string> ReadRequestPath(NetworkStream stream)
    {
        var seen = new StringBuilder();
        var buffer = new byte[1024];
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }
            seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        string[] requestLine = seen.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length > 1 ? requestLine[1] : "";
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
