namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    private bool InputsUnscaled => findings.Has(FindingCodes.InputsNotScaled);

    /// <summary>MN001 and non-finite inputs: the scale of every input, as root mean square per feature.</summary>
    private void CheckInputs()
    {
        inputs = InputStats.Of(patient.Inputs);
        Measure("inputs.rms", inputs.Rms);
        Measure("inputs.maxAbs", inputs.MaxAbs);
        Measure("inputs.meanSquaredNorm", inputs.MeanSquaredNorm);
        if (inputs.NonFinite > 0)
        {
            ReportNonFinite("the inputs", $"{Fmt.N(inputs.NonFinite)} input values are NaN or ∞ before the model runs");
        }
        string scale = Invariant(
            $"inputs' RMS {Fmt.G(inputs.Rms)}, largest |x| {Fmt.G(inputs.MaxAbs)}, mean ‖x‖² {Fmt.G(inputs.MeanSquaredNorm)} over {Fmt.N(Samples)} samples"
        );
        if (inputs.Rms > DoctorThresholds.InputRmsHigh)
        {
            findings.Add(
                FindingCodes.InputsNotScaled,
                Severity.Warning,
                Chapters.RawPixels,
                "The inputs are not scaled: features in the hundreds make every step huge",
                scale + Invariant($" (pixels / 255: RMS 0.33, max 1; a threshold of {DoctorThresholds.InputRmsHigh})"),
                "Scale the inputs to [0, 1] (pixels / 255) or standardise them (x − mean) / std"
            );
        }
        else if (inputs.Rms < DoctorThresholds.InputRmsLow && inputs.MaxAbs > 0)
        {
            findings.Add(
                FindingCodes.InputsNotScaled,
                Severity.Warning,
                Chapters.RawPixels,
                "The inputs are scaled almost to zero: the first layer barely sees them",
                scale + Invariant($" (pixels / 255: RMS 0.33; below {DoctorThresholds.InputRmsLow} looks scaled twice)"),
                "Scale the inputs once, to [0, 1] (pixels / 255)"
            );
        }
    }
}
