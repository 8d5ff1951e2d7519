namespace MnistNotebooks.Tests.Randomness;

/// <summary>A theory that needs numpy at /usr/bin/python3: skipped with the reason when it is missing, except under CI=true,
/// where it runs and fails (`.ci/run` installs python3-numpy).</summary>
public sealed class NumpyTheoryAttribute : TheoryAttribute
{
    public NumpyTheoryAttribute()
    {
        if (NumpyOracle.NumpyVersion is null && !NumpyOracle.IsCi)
        {
            Skip =
                $"numpy is not available ({NumpyOracle.NumpyProblem}); install Debian's python3-numpy to run it. Under CI=true it fails instead.";
        }
    }
}
