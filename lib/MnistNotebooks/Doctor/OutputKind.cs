namespace MnistNotebooks.Doctor;

/// <summary>What the learner's output function returns for a batch (batch, classes).</summary>
public enum OutputKind
{
    /// <summary>Unnormalised scores that a softmax turns into probabilities (the doctor applies a stable one).</summary>
    Logits,

    /// <summary>The learner's softmax: every row should sum to 1 over the classes.</summary>
    Probabilities,

    /// <summary>Independent per-class outputs (a linear or sigmoid output trained with squared error on one-hot targets):
    /// no softmax, rows need not sum to 1; the prediction is the largest.</summary>
    Scores,
}
