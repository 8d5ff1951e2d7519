using MnistNotebooks.Diagnostics;

namespace MnistNotebooks.Doctor;

/// <summary>A hidden layer's output for a batch, (batch, units), and what kind of unit produced it (sigmoid, tanh, relu).</summary>
public sealed record Activation(string Name, Matrix<double> Values, ActivationKind Kind);
