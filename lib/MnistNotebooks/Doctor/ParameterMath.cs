namespace MnistNotebooks.Doctor;

/// <summary>Arithmetic on parameter sets the probes need: differences, steps along a direction, norms.</summary>
internal static class ParameterMath
{
    /// <summary>Throws unless <paramref name="returned"/> holds every matrix of <paramref name="expected"/> with its shape.</summary>
    public static void CheckSameShapes(ParameterSet expected, ParameterSet returned, string what)
    {
        ArgumentNullException.ThrowIfNull(returned, what);
        foreach ((string name, Matrix<double> m) in expected)
        {
            if (!returned.Contains(name))
            {
                throw new InvalidOperationException(
                    $"{what} returned no '{name}'; expected {expected.Describe()} but got {returned.Describe()}"
                );
            }
            Matrix<double> r = returned[name];
            if (r.Rows != m.Rows || r.Cols != m.Cols)
            {
                throw new InvalidOperationException($"{what} returned '{name}' of shape {r.Shape}; expected {m.Shape} as given");
            }
        }
    }

    /// <summary>a − b over the names of b.</summary>
    public static ParameterSet Subtract(ParameterSet a, ParameterSet b)
    {
        var d = new ParameterSet();
        foreach ((string name, Matrix<double> mb) in b)
        {
            double[] x = a[name].Data,
                y = mb.Data,
                r = new double[y.Length];
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = x[i] - y[i];
            }
            d[name] = new Matrix<double>(mb.Rows, mb.Cols, r);
        }
        return d;
    }

    /// <summary>p + t·d, new matrices.</summary>
    public static ParameterSet AddScaled(ParameterSet p, ParameterSet d, double t)
    {
        var r = new ParameterSet();
        foreach ((string name, Matrix<double> mp) in p)
        {
            double[] x = mp.Data,
                y = d[name].Data,
                z = new double[x.Length];
            for (int i = 0; i < z.Length; i++)
            {
                z[i] = x[i] + t * y[i];
            }
            r[name] = new Matrix<double>(mp.Rows, mp.Cols, z);
        }
        return r;
    }

    /// <summary>d scaled by s in place; returns d.</summary>
    public static ParameterSet Scale(ParameterSet d, double s)
    {
        if (s != 1)
        {
            foreach ((_, Matrix<double> m) in d)
            {
                for (int i = 0; i < m.Data.Length; i++)
                {
                    m.Data[i] *= s;
                }
            }
        }
        return d;
    }

    public static double Norm(Matrix<double> m) => Math.Sqrt(SumOfSquares(m.Data));

    /// <summary>sqrt of Σ over every matrix of Σ v².</summary>
    public static double Norm(ParameterSet p) => Math.Sqrt(p.Sum(kv => SumOfSquares(kv.Value.Data)));

    public static double SumOfSquares(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v)
        {
            s += x * x;
        }
        return s;
    }

    /// <summary>Σ a·b over the names of b.</summary>
    public static double Dot(ParameterSet a, ParameterSet b)
    {
        double s = 0;
        foreach ((string name, Matrix<double> mb) in b)
        {
            double[] x = a[name].Data;
            for (int i = 0; i < x.Length; i++)
            {
                s += x[i] * mb.Data[i];
            }
        }
        return s;
    }

    /// <summary>The name of the first matrix holding a NaN or ±∞, with the element, or null.</summary>
    public static (string Name, int Index, double Value)? FirstNonFinite(ParameterSet p)
    {
        foreach ((string name, Matrix<double> m) in p)
        {
            int i = Matrix<double>.FirstNonFinite(m.Data);
            if (i >= 0)
            {
                return (name, i, m.Data[i]);
            }
        }
        return null;
    }

    /// <summary>The names of the weight matrices (both dimensions above 1); all names when there is none.</summary>
    public static IReadOnlyList<string> WeightNames(ParameterSet p)
    {
        string[] weights = [.. p.Where(kv => kv.Value.Rows > 1 && kv.Value.Cols > 1).Select(kv => kv.Key)];
        return weights.Length > 0 ? weights : p.Names;
    }

    /// <summary>The largest |a − b| / max(|a|, |b|) over the entries where both are finite; 0 when equal.</summary>
    public static double MaxRelativeDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!double.IsFinite(a[i]) || !double.IsFinite(b[i]) || a[i] == b[i])
            {
                continue;
            }
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
        }
        return worst;
    }
}
