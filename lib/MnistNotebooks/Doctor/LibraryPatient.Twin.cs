using System.Numerics;
using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.Doctor;

public static partial class LibraryPatient
{
    /// <summary>A copy in the model's own precision: the examination's forward passes run here, with every layer's
    /// result checked, so that a NaN or ±∞ is found where the model would produce it and named by layer and operation.</summary>
    private sealed class Twin<T>(Layer<T> original, ILoss<T> originalLoss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Layer<T> model = original.Convert<T>();
        private readonly ILoss<T> loss = originalLoss.Convert<T>();
        private readonly string lossName = originalLoss.GetType().Name.Split('`')[0];

        public Evaluation Evaluate(ParameterSet p, Matrix<double> x, int[] y)
        {
            foreach (Parameter<T> q in model.Parameters)
            {
                double[] source = p[q.Name].Data;
                for (int i = 0; i < source.Length; i++)
                {
                    q.Value.Data[i] = T.CreateTruncating(source[i]);
                }
            }
            model.Training = false;
            var sequential = model as Sequential<T>;
            Matrix<T> input = x.Convert<T>();
            string? nonFinite = null;
            Matrix<T> output;
            if (sequential is not null)
            {
                sequential.CheckFinite = true;
            }
            try
            {
                output = model.Forward(input);
            }
            catch (NonFiniteException e)
            {
                // Only a Sequential checks its layers; run it again unchecked for the values themselves.
                nonFinite = Where(e);
                sequential!.CheckFinite = false;
                output = model.Forward(input);
            }
            finally
            {
                if (sequential is not null)
                {
                    sequential.CheckFinite = false;
                }
            }
            int bad = Matrix<T>.FirstNonFinite(output.Data);
            if (nonFinite is null && bad >= 0)
            {
                nonFinite = Where(new NonFiniteException(model.Name, "forward", bad, double.CreateTruncating(output.Data[bad])));
            }
            Matrix<double> outputs = output.Convert<double>();
            Matrix<double>? logits = null;
            var activations = new List<Activation>();
            if (sequential is not null)
            {
                for (int i = 0; i < sequential.Layers.Count - 1; i++)
                {
                    ActivationKind kind = ActivationKinds.Detect(sequential.Layers[i]);
                    if (kind != ActivationKind.Other)
                    {
                        activations.Add(new Activation(sequential.Layers[i].Name, sequential.Outputs[i].Convert<double>(), kind));
                    }
                }
                if (sequential.Layers.Count >= 2 && sequential.Layers[^1].Kind == "softmax")
                {
                    logits = sequential.Outputs[^2].Convert<double>();
                }
            }
            double cost = double.CreateTruncating(loss.Forward(output, y));
            if (nonFinite is null && !double.IsFinite(cost))
            {
                nonFinite = $"the loss {lossName}: {Fmt.G(cost)}";
            }
            return new Evaluation(outputs, logits, activations, cost, nonFinite);
        }

        /// <summary>e.g. <c>forward of 'softmax' (element 12): NaN</c>.</summary>
        private static string Where(NonFiniteException e) =>
            FormattableString.Invariant($"{e.Operation} of '{e.Layer}' (element {e.Index}): {Fmt.G(e.Value)}");
    }
}
