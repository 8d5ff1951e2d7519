namespace MnistNotebooks.Doctor;

/// <summary>One forward pass of a library model in its own precision, as the doctor reads it (in double): outputs,
/// logits under a softmax layer, hidden activations, the loss, and where the first NaN or ±∞ appeared.</summary>
internal sealed record Evaluation(
    Matrix<double> Outputs,
    Matrix<double>? Logits,
    IReadOnlyList<Activation> Activations,
    double Cost,
    string? NonFinite
);
