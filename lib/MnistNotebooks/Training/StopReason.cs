namespace MnistNotebooks.Training;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Every epoch ran.</summary>
    Completed,

    /// <summary><see cref="EarlyStopping"/>: the validation loss stopped improving.</summary>
    EarlyStopping,

    /// <summary>A NaN or ±Infinity appeared (only detected with <see cref="StopOnNonFinite"/>).</summary>
    NonFinite,

    /// <summary>Another callback asked to stop.</summary>
    Callback,

    /// <summary>The cancellation token was cancelled.</summary>
    Cancelled,
}
