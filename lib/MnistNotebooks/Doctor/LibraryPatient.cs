using System.Globalization;
using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Training;

namespace MnistNotebooks.Doctor;

/// <summary>Patients for the library's own models: a <see cref="Layer{T}"/>, its <see cref="ILoss{T}"/> and its
/// <see cref="Optimizer{T}"/> (or a <see cref="Trainer{T}"/>). The doctor works on a double copy of the model
/// (<c>Convert&lt;double&gt;()</c>) with a fresh optimizer of the same kind and settings for each probe; the learner's
/// model and optimizer are not touched. NaN and ∞ are located in the model's own precision.</summary>
public static partial class LibraryPatient
{
    /// <summary>A patient for the model, loss and optimizer a <paramref name="trainer"/> trains, on its batch size.</summary>
    public static Patient From<T>(Trainer<T> trainer, Matrix<T> inputs, int[] labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(inputs);
        int batch = trainer.Options.BatchSize >= inputs.Rows ? Patient.FullBatch : trainer.Options.BatchSize;
        return From(trainer.Model, trainer.Loss, trainer.Optimizer, inputs, labels, batch);
    }

    /// <summary>A patient for <paramref name="model"/> trained with <paramref name="loss"/> and, when given,
    /// <paramref name="optimizer"/> on batches of <paramref name="batchSize"/> (<see cref="Patient.FullBatch"/>: all).
    /// Outputs are logits for <see cref="SoftmaxCrossEntropy{T}"/>, probabilities when the model ends in a softmax
    /// layer or the loss takes probabilities, scores otherwise.</summary>
    public static Patient From<T>(
        Layer<T> model,
        ILoss<T> loss,
        Optimizer<T>? optimizer,
        Matrix<T> inputs,
        int[] labels,
        int batchSize = Patient.FullBatch,
        string? name = null
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inputs);
        var copy = new Copy<T>(model, loss);
        Func<Func<ParameterSet, Matrix<double>, int[], ParameterSet>>? newStep = null;
        if (optimizer is not null && Like(optimizer, copy.Parameters) is not null)
        {
            newStep = () => copy.Stepper(Like(optimizer, copy.Parameters)!);
        }
        return new Patient
        {
            Name = name ?? Describe(model, loss, optimizer),
            Inputs = ToDouble(inputs),
            Labels = labels,
            Parameters = copy.Values(),
            OutputKind = copy.Kind,
            Outputs = copy.Outputs,
            Logits = copy.HasSoftmaxLayer ? (p, x) => copy.Forward(p, x).Logits! : null,
            Activations = copy.IsSequential ? (p, x) => copy.Forward(p, x).Activations : null,
            Cost = copy.Cost,
            Gradients = copy.Gradients,
            NewStep = newStep,
            BatchSize = batchSize,
            Precision = typeof(T) == typeof(float) ? NumericPrecision.Float32 : NumericPrecision.Float64,
            Evaluate = new Twin<T>(model, loss).Evaluate,
        };
    }

    /// <summary>A fresh optimizer of the same kind and settings over <paramref name="parameters"/>; null for a kind
    /// the doctor does not know (give the patient a NewStep instead).</summary>
    private static Optimizer<double>? Like<T>(Optimizer<T> o, IReadOnlyList<Parameter<double>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        o switch
        {
            AdamW<T> a => new AdamW<double>(parameters, a.LearningRate, a.WeightDecay, a.Beta1, a.Beta2, a.Epsilon)
            {
                Clipping = a.Clipping,
            },
            Adam<T> a => new Adam<double>(parameters, a.LearningRate, a.Beta1, a.Beta2, a.Epsilon, a.WeightDecay) { Clipping = a.Clipping },
            RmsProp<T> r => new RmsProp<double>(parameters, r.LearningRate, r.Rho, r.Epsilon, r.WeightDecay) { Clipping = r.Clipping },
            Sgd<T> s => new Sgd<double>(parameters, s.LearningRate, s.Momentum, s.Nesterov, s.WeightDecay) { Clipping = s.Clipping },
            _ => null,
        };

    private static string Describe<T>(Layer<T> model, ILoss<T> loss, Optimizer<T>? optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string layers = model is Sequential<T> s ? string.Join(" → ", s.Layers.Select(Short)) : Short(model);
        string opt = optimizer is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $", {optimizer.GetType().Name.Split('`')[0]} lr {optimizer.LearningRate:G3}");
        return $"{layers}, {loss.GetType().Name.Split('`')[0]}{opt}";
    }

    private static string Short<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        layer is Dense<T> d
            ? string.Create(CultureInfo.InvariantCulture, $"Dense({d.Inputs}→{d.Outputs})")
            : layer.GetType().Name.Split('`')[0];

    /// <summary>The inputs in double (a double matrix itself, not copied): uninitialised storage filled in parallel,
    /// since 60,000 images are 376 MB in double.</summary>
    private static Matrix<double> ToDouble<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m is Matrix<double> d)
        {
            return d;
        }
        T[] source = m.Data;
        double[] data = GC.AllocateUninitializedArray<double>(source.Length);
        const int Chunk = 1 << 16;
        Parallel.For(
            0,
            (source.Length + Chunk - 1) / Chunk,
            new ParallelOptions { MaxDegreeOfParallelism = Kernels.Parallelism.MaxThreads },
            c =>
            {
                int end = Math.Min(source.Length, (c + 1) * Chunk);
                for (int i = c * Chunk; i < end; i++)
                {
                    data[i] = double.CreateTruncating(source[i]);
                }
            }
        );
        return new Matrix<double>(m.Rows, m.Cols, data);
    }
}
