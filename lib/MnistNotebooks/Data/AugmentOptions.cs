namespace MnistNotebooks.Data;

/// <summary>How <see cref="Augmentation"/> distorts each 28 × 28 image: a random affine map about the centre (rotation
/// in [−R, R] degrees, scale in [1 − S, 1 + S], shear in [−H, H] degrees, shift in [−T, T] pixels), then an elastic
/// distortion as in Simard, Steinkraus &amp; Platt (2003): displacement fields of U(−1, 1) noise smoothed by a Gaussian of
/// std σ pixels and scaled by α. Zero everywhere is the identity.</summary>
public sealed record AugmentOptions
{
    public double MaxRotationDegrees { get; init; }

    public double MaxScale { get; init; }

    public double MaxShearDegrees { get; init; }

    public double MaxShift { get; init; }

    /// <summary>α, the displacement scale in pixels (Simard et al.: 34 with σ = 4); 0 turns the elastic part off.</summary>
    public double ElasticAlpha { get; init; }

    /// <summary>σ, the smoothing of the displacement fields in pixels.</summary>
    public double ElasticSigma { get; init; } = 4;

    internal void Validate()
    {
        foreach (
            (double v, string name) in new[]
            {
                (MaxRotationDegrees, nameof(MaxRotationDegrees)),
                (MaxScale, nameof(MaxScale)),
                (MaxShearDegrees, nameof(MaxShearDegrees)),
                (MaxShift, nameof(MaxShift)),
                (ElasticAlpha, nameof(ElasticAlpha)),
            }
        )
        {
            if (!(v >= 0 && double.IsFinite(v)))
            {
                throw new ArgumentOutOfRangeException(name, v, $"Expected {name} ≥ 0 and finite");
            }
        }
        if (MaxScale >= 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxScale),
                MaxScale,
                "Expected MaxScale < 1 (a scale of 1 − S must stay positive)"
            );
        }
        if (!(ElasticSigma > 0 && double.IsFinite(ElasticSigma)))
        {
            throw new ArgumentOutOfRangeException(nameof(ElasticSigma), ElasticSigma, "Expected ElasticSigma > 0");
        }
    }
}
