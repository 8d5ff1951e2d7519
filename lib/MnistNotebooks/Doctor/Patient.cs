namespace MnistNotebooks.Doctor;

/// <summary>What the doctor examines: any training loop, described by functions of (parameters, batch) that the
/// learner already has. Every function receives the doctor's copy of the parameters and must read them from it (not
/// from variables it captured), so the doctor can probe copies; the learner's own matrices are never passed, never
/// changed. Build one for a library model with <see cref="LibraryPatient"/>.</summary>
/// <example><code>
/// var patient = new Patient
/// {
///     Inputs = x, Labels = y, Parameters = new ParameterSet { ["w1"] = w1, ["b1"] = b1, ["w2"] = w2, ["b2"] = b2 },
///     Outputs = (p, xb) => Forward(p, xb), OutputKind = OutputKind.Probabilities,
///     Cost = (p, xb, yb) => CrossEntropy(Forward(p, xb), yb),
///     Step = (p, xb, yb) => Update(p, Backprop(p, xb, yb), alpha: 0.01), BatchSize = Patient.FullBatch,
/// };
/// Console.WriteLine(TrainingDoctor.Examine(patient));
/// </code></example>
public sealed record Patient
{
    /// <summary><see cref="BatchSize"/> for a loop that steps on all of <see cref="Inputs"/> at once.</summary>
    public const int FullBatch = 0;

    /// <summary>The training inputs, (n, features), one sample per row.</summary>
    public required Matrix<double> Inputs { get; init; }

    /// <summary>The class of each row of <see cref="Inputs"/>, in [0, K).</summary>
    public required int[] Labels { get; init; }

    /// <summary>The trainable parameters by name; cloned before anything runs.</summary>
    public ParameterSet Parameters { get; init; } = new();

    /// <summary>The model's outputs for a batch: (batch, features) → (batch, K), of the kind <see cref="OutputKind"/> says.</summary>
    public required Func<ParameterSet, Matrix<double>, Matrix<double>> Outputs { get; init; }

    /// <summary>Whether <see cref="Outputs"/> gives logits, probabilities or independent scores.</summary>
    public required OutputKind OutputKind { get; init; }

    /// <summary>The cost the learner minimises on a batch (with any regularisation term the gradients include).</summary>
    public required Func<ParameterSet, Matrix<double>, int[], double> Cost { get; init; }

    /// <summary>Optional: the logits under a probability output, (batch, K): lets the doctor compare them with exp's limit.</summary>
    public Func<ParameterSet, Matrix<double>, Matrix<double>>? Logits { get; init; }

    /// <summary>Optional: the hidden layers' outputs for a batch, for saturation and dead units.</summary>
    public Func<ParameterSet, Matrix<double>, IReadOnlyList<Activation>>? Activations { get; init; }

    /// <summary>Optional: ∂Cost/∂parameter for a batch, by parameter name: checked against central differences of <see cref="Cost"/>.</summary>
    public Func<ParameterSet, Matrix<double>, int[], ParameterSet>? Gradients { get; init; }

    /// <summary>Optional: one update on a batch, returning the new parameters (it may update the given copy in place
    /// and return it). For an update that keeps state (momentum, RMSprop), give <see cref="NewStep"/> instead.</summary>
    public Func<ParameterSet, Matrix<double>, int[], ParameterSet>? Step { get; init; }

    /// <summary>Optional: makes a fresh update function with fresh optimizer state; called once per probe run.</summary>
    public Func<Func<ParameterSet, Matrix<double>, int[], ParameterSet>>? NewStep { get; init; }

    /// <summary>The batch the learner's loop steps on: 1 for per-sample updates, <see cref="FullBatch"/> for all of
    /// <see cref="Inputs"/>. The probes step on batches of this size (capped by <see cref="DoctorOptions.MaxProbeBatch"/>).</summary>
    public int BatchSize { get; init; } = FullBatch;

    /// <summary>The precision the learner's code runs in (it decides where exp overflows); the doctor computes in double.</summary>
    public NumericPrecision Precision { get; init; } = NumericPrecision.Float64;

    /// <summary>A name for the report.</summary>
    public string Name { get; init; } = "model";

    /// <summary>Library models: outputs, logits, activations and the loss from one forward pass in the model's own
    /// precision, with the first layer and operation that produced a NaN or ±∞.</summary>
    internal Func<ParameterSet, Matrix<double>, int[], Evaluation>? Evaluate { get; init; }

    internal bool CanStep => Step is not null || NewStep is not null;

    internal Func<ParameterSet, Matrix<double>, int[], ParameterSet> CreateStep() =>
        NewStep?.Invoke() ?? Step ?? throw new InvalidOperationException("The patient has no Step");
}
