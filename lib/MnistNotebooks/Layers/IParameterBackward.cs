namespace MnistNotebooks.Layers;

/// <summary>A layer that can accumulate its parameter gradients without computing dL/dinput, which the first layer of a
/// model never needs (for Dense it saves dX = dY·Wᵀ, a third of the layer's backward work).</summary>
public interface IParameterBackward
{
    /// <summary>Accumulates the parameter gradients as <see cref="ILayer.Backward"/> does, and returns nothing.</summary>
    void BackwardParametersOnly(Matrix outputGradient);
}
