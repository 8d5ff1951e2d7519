using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Bookkeeping shared by every optimizer: the parameters, a validated learning rate, L2 weight decay,
/// gradient clipping and the step count. Subclasses add only their update rule.</summary>
public abstract class Optimizer
{
    private float learningRate;

    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter", nameof(parameters));
        }
        LearningRate = learningRate;
        if (!float.IsFinite(weightDecay) || weightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be finite and ≥ 0");
        }
        WeightDecay = weightDecay;
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The step size α; must be finite and &gt; 0.</summary>
    public float LearningRate
    {
        get => learningRate;
        set
        {
            if (!float.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be finite and > 0");
            }
            learningRate = value;
        }
    }

    /// <summary>L2 weight decay λ: g += λ·w before the update (the gradient of λ/2·‖w‖²).</summary>
    public float WeightDecay { get; }

    /// <summary>Optional clipping applied to the gradients before each update.</summary>
    public GradientClipping? Clipping { get; init; }

    /// <summary>How many times <see cref="Step"/> has run.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies weight decay and clipping to the gradients, then updates every parameter once.</summary>
    public void Step()
    {
        StepCount++;
        if (WeightDecay > 0)
        {
            foreach (Parameter p in Parameters)
            {
                Kernels.ElementWise.Axpy(WeightDecay, p.Value.Data, p.Gradient.Data);
            }
        }
        Clipping?.Apply(Parameters);
        for (int i = 0; i < Parameters.Count; i++)
        {
            Update(i, Parameters[i]);
        }
    }

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in Parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>The update rule for parameter <paramref name="index"/>, reading <see cref="Parameter.Gradient"/>.</summary>
    protected abstract void Update(int index, Parameter parameter);
}
