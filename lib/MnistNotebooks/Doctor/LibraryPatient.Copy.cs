using System.Numerics;
using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Doctor;

public static partial class LibraryPatient
{
    /// <summary>The double copy the doctor probes: values are loaded from the given set before every use.</summary>
    private sealed class Copy<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Layer<double> model;
        private readonly ILoss<double> loss;
        private readonly Sequential<double>? sequential;

        public Copy(Layer<T> original, ILoss<T> originalLoss)
        {
            model = original.Convert<double>();
            loss = originalLoss.Convert<double>();
            sequential = model as Sequential<double>;
            Parameters = [.. model.Parameters];
            Layer<double> last = sequential?.Layers[^1] ?? model;
            HasSoftmaxLayer = sequential is { Layers.Count: >= 2 } && last.Kind == "softmax";
            Kind =
                loss is SoftmaxCrossEntropy<double> ? OutputKind.Logits
                : HasSoftmaxLayer || loss is Course.NaiveCrossEntropy<double> ? OutputKind.Probabilities
                : OutputKind.Scores;
        }

        public IReadOnlyList<Parameter<double>> Parameters { get; }

        public OutputKind Kind { get; }

        public bool HasSoftmaxLayer { get; }

        public bool IsSequential => sequential is not null;

        public ParameterSet Values()
        {
            var set = new ParameterSet();
            foreach (Parameter<double> p in Parameters)
            {
                set[p.Name] = p.Value.Clone();
            }
            return set;
        }

        public Matrix<double> Outputs(ParameterSet p, Matrix<double> x)
        {
            Load(p, training: false);
            return model.Forward(x).Clone();
        }

        public (Matrix<double> Outputs, Matrix<double>? Logits, IReadOnlyList<Activation> Activations) Forward(
            ParameterSet p,
            Matrix<double> x
        )
        {
            Load(p, training: false);
            Matrix<double> y = model.Forward(x).Clone();
            if (sequential is null)
            {
                return (y, null, []);
            }
            var activations = new List<Activation>();
            for (int i = 0; i < sequential.Layers.Count - 1; i++)
            {
                ActivationKind kind = ActivationKinds.Detect(sequential.Layers[i]);
                if (kind != ActivationKind.Other)
                {
                    activations.Add(new Activation(sequential.Layers[i].Name, sequential.Outputs[i].Clone(), kind));
                }
            }
            return (y, HasSoftmaxLayer ? sequential.Outputs[^2].Clone() : null, activations);
        }

        public double Cost(ParameterSet p, Matrix<double> x, int[] y)
        {
            Load(p, training: false);
            return loss.Forward(model.Forward(x), y);
        }

        public ParameterSet Gradients(ParameterSet p, Matrix<double> x, int[] y)
        {
            Load(p, training: false);
            Backward(x, y);
            var g = new ParameterSet();
            foreach (Parameter<double> q in Parameters)
            {
                g[q.Name] = q.Gradient.Clone();
            }
            return g;
        }

        public Func<ParameterSet, Matrix<double>, int[], ParameterSet> Stepper(Optimizer<double> optimizer) =>
            (p, x, y) =>
            {
                Load(p, training: true);
                Backward(x, y);
                optimizer.Step();
                return Values();
            };

        private void Backward(Matrix<double> x, int[] y)
        {
            model.ZeroGradients();
            loss.Forward(model.Forward(x), y);
            model.Backward(loss.Backward());
        }

        private void Load(ParameterSet p, bool training)
        {
            foreach (Parameter<double> q in Parameters)
            {
                p[q.Name].CopyTo(q.Value);
            }
            model.Training = training;
        }
    }
}
