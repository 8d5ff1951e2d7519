using System.Diagnostics;
using System.Xml.Linq;

namespace NotebookRunner.Execution;

/// <summary>
/// Resolves <c>#r "nuget:"</c> offline: the package and its dependencies from the NuGet global packages folder
/// (restoring a throwaway project through the configured feeds when a package is not there yet).
/// </summary>
public sealed class NuGetResolver
{
    static readonly string[] FrameworkPreference =
    [
        "net10.0",
        "net9.0",
        "net8.0",
        "net7.0",
        "net6.0",
        "net5.0",
        "netcoreapp3.1",
        "netcoreapp3.0",
        "netcoreapp2.1",
        "netstandard2.1",
        "netstandard2.0",
        "netstandard1.6",
        "netstandard1.3",
        "netstandard1.1",
        "netstandard1.0",
    ];

    readonly string _root;
    readonly Func<string, bool> _isFrameworkAssembly;

    public NuGetResolver(Func<string, bool> isFrameworkAssembly, string? packagesRoot = null)
    {
        _isFrameworkAssembly = isFrameworkAssembly;
        _root =
            packagesRoot
            ?? Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    /// <summary>The DLLs to reference for the package and everything it depends on.</summary>
    public IReadOnlyList<string> Resolve(PackageRequest request)
    {
        var dlls = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Add(request.Id, request.Version, dlls, seen, top: true);
        return dlls;
    }

    void Add(string id, string? version, List<string> dlls, HashSet<string> seen, bool top)
    {
        if (!seen.Add(id))
            return;
        var folder = FindPackage(id, version);
        if (folder is null && top)
        {
            Restore(id, version);
            folder = FindPackage(id, version);
        }
        if (folder is null)
        {
            if (top)
                throw new InvalidOperationException(
                    $"Package '{id}'{(version is null ? "" : $" version {version}")} was not found in {_root} and could not be restored."
                );
            return; // a dependency the framework provides, or one with no assets for us
        }
        var tfm = BestFramework(Path.Combine(folder, "lib"));
        if (tfm is not null)
        {
            foreach (var dll in Directory.GetFiles(Path.Combine(folder, "lib", tfm), "*.dll"))
                if (!_isFrameworkAssembly(Path.GetFileNameWithoutExtension(dll)))
                    dlls.Add(dll);
        }
        foreach (var (depId, depVersion) in Dependencies(folder, tfm))
            Add(depId, depVersion, dlls, seen, top: false);
    }

    /// <summary>~/.nuget/packages/id/version; an exact version if asked, else the highest; a range takes its lower bound or higher.</summary>
    string? FindPackage(string id, string? version)
    {
        var dir = Path.Combine(_root, id.ToLowerInvariant());
        if (!Directory.Exists(dir))
            return null;
        var versions = Directory
            .GetDirectories(dir)
            .Where(d => File.Exists(Path.Combine(d, $"{id.ToLowerInvariant()}.nuspec")) || Directory.Exists(Path.Combine(d, "lib")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .ToList();
        if (version is not null)
        {
            var exact = versions.FirstOrDefault(v => string.Equals(v, version.Trim('[', ']', ' '), StringComparison.OrdinalIgnoreCase));
            if (exact is not null)
                return Path.Combine(dir, exact);
            if (!version.StartsWith('[') && !version.StartsWith('(') && !version.Contains('*'))
                return null;
            var lower = version.Trim('[', '(', ' ').Split(',')[0].Replace("*", "").Trim();
            versions = versions.Where(v => Compare(v, lower) >= 0).ToList();
        }
        var best =
            versions.Where(v => !v.Contains('-')).OrderByDescending(v => v, Comparer<string>.Create(Compare)).FirstOrDefault()
            ?? versions.OrderByDescending(v => v, Comparer<string>.Create(Compare)).FirstOrDefault();
        return best is null ? null : Path.Combine(dir, best);
    }

    static int Compare(string a, string b)
    {
        static Version Parse(string s)
        {
            var core = s.Split('-', '+')[0];
            return Version.TryParse(core.Contains('.') ? core : core + ".0", out var v) ? v : new Version(0, 0);
        }
        return Parse(a).CompareTo(Parse(b));
    }

    static string? BestFramework(string lib)
    {
        if (!Directory.Exists(lib))
            return null;
        var present = Directory.GetDirectories(lib).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return FrameworkPreference.FirstOrDefault(present.Contains);
    }

    static IEnumerable<(string Id, string? Version)> Dependencies(string folder, string? tfm)
    {
        var nuspec = Directory.GetFiles(folder, "*.nuspec").FirstOrDefault();
        if (nuspec is null)
            yield break;
        var doc = XDocument.Load(nuspec);
        var groups = doc.Descendants().Where(e => e.Name.LocalName == "group").ToList();
        IEnumerable<XElement> deps;
        if (groups.Count == 0)
        {
            deps = doc.Descendants().Where(e => e.Name.LocalName == "dependency");
        }
        else
        {
            var group =
                groups.FirstOrDefault(g => Matches((string?)g.Attribute("targetFramework"), tfm))
                ?? groups.FirstOrDefault(g => Matches((string?)g.Attribute("targetFramework"), "netstandard2.0"));
            deps = group?.Elements().Where(e => e.Name.LocalName == "dependency") ?? [];
        }
        foreach (var dep in deps)
        {
            var id = (string?)dep.Attribute("id");
            if (id is null)
                continue;
            var version = (string?)dep.Attribute("version");
            yield return (id, version is null ? null : $"[{version.Trim('[', '(', ')', ']').Split(',')[0]},)");
        }
    }

    static bool Matches(string? declared, string? tfm)
    {
        if (declared is null || tfm is null)
            return false;
        var d = declared.ToLowerInvariant().Replace(".netstandard", "netstandard").Replace(".netcoreapp", "netcoreapp");
        if (d.StartsWith("net") && !d.StartsWith("netstandard") && !d.StartsWith("netcoreapp") && d.Contains('.'))
            d = d.Split('-')[0];
        return d == tfm.ToLowerInvariant();
    }

    /// <summary>Restores a throwaway project that references the package, which fills the global packages folder from the configured feeds.</summary>
    void Restore(string id, string? version)
    {
        var dir = Path.Combine(Path.GetTempPath(), "notebook-runner-restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(
                Path.Combine(dir, "restore.csproj"),
                $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
                  <ItemGroup><PackageReference Include="{id}" Version="{version ?? "*"}" /></ItemGroup>
                </Project>
                """
            );
            var start = new ProcessStartInfo("dotnet", ["restore", "--nologo", "-v", "q"])
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException) { }
        }
    }
}
