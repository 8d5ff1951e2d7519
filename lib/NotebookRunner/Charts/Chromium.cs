using System.Diagnostics;

namespace NotebookRunner.Charts;

/// <summary>Headless Chromium (Debian's <c>chromium</c>, or <c>$CHROMIUM_PATH</c>), started with the flags that keep it
/// from reaching for the network on a closed machine.</summary>
public static class Chromium
{
    public static string? Find() =>
        new[]
        {
            Environment.GetEnvironmentVariable("CHROMIUM_PATH"),
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        }.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static readonly string[] HeadlessFlags =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ];

    /// <summary>Loads a page with scripts on and returns its DOM after <paramref name="budget"/> of virtual time.</summary>
    public static async Task<string> DumpDomAsync(string chromium, string page, TimeSpan budget, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("runner-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var flag in HeadlessFlags)
                start.ArgumentList.Add(flag);
            start.ArgumentList.Add($"--user-data-dir={profile}");
            start.ArgumentList.Add("--allow-file-access-from-files");
            start.ArgumentList.Add($"--virtual-time-budget={(int)budget.TotalMilliseconds}");
            start.ArgumentList.Add("--dump-dom");
            start.ArgumentList.Add(new Uri(page).AbsoluteUri);
            using var process = Process.Start(start)!;
            var dom = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(budget + TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish {page}: {await errors}");
            }
            return await dom;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException) { }
        }
    }
}
