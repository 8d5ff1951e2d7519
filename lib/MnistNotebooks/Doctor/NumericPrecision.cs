namespace MnistNotebooks.Doctor;

/// <summary>The precision the learner's code runs in; it decides where exp overflows.</summary>
public enum NumericPrecision
{
    /// <summary>double (numpy's default): exp overflows above ln(double.MaxValue) ≈ 709.78.</summary>
    Float64,

    /// <summary>float: exp overflows above ln(float.MaxValue) ≈ 88.72.</summary>
    Float32,
}
