using System.Globalization;

namespace Benchmarks;

/// <summary>Cores used by other processes between <see cref="Start"/> and <see cref="Stop"/>, from /proc/stat and
/// /proc/self/stat (as the peers' cpuwatch measures it); NaN where /proc is missing.</summary>
internal sealed class ForeignLoad
{
    private static readonly double Hz = 100; // USER_HZ: 100 on Linux x86-64
    private long system0,
        own0;
    private long t0;

    public void Start() => (system0, own0, t0) = (SystemTicks(), OwnTicks(), System.Diagnostics.Stopwatch.GetTimestamp());

    public double Stop()
    {
        long system = SystemTicks(),
            own = OwnTicks();
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (system < 0 || own < 0 || seconds <= 0)
        {
            return double.NaN;
        }
        return Math.Max(0, ((system - system0) - (own - own0)) / Hz / seconds);
    }

    private static long SystemTicks()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal: busy = user + nice + system + irq + softirq + steal
            long[] v = File.ReadLines("/proc/stat")
                .First()
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1)
                .Select(s => long.Parse(s, CultureInfo.InvariantCulture))
                .ToArray();
            return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static long OwnTicks()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            string[] f = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
