namespace MnistNotebooks.Layers;

/// <summary>A slow double-precision reference of a layer's forward pass, for gradient checking in double.
/// input is (batch, inputs) row-major; the result is (batch, outputs) row-major, newly allocated.</summary>
/// <remarks>Parameters are read from <c>values</c> when it holds them (so a check can perturb double copies),
/// otherwise from their float <see cref="Parameter.Value"/>. Nothing is cached and no gradient is touched.</remarks>
public interface IDoubleForward
{
    /// <summary>Y = f(X) in double; X is (batch, inputs), Y is (batch, outputs), both row-major.</summary>
    double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null);
}
