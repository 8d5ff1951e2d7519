namespace MnistNotebooks.Training;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Every epoch ran.</summary>
    Completed,

    /// <summary><see cref="TrainerOptions.EarlyStopping"/>: the validation loss stopped improving.</summary>
    EarlyStopping,

    /// <summary>A NaN or ±Infinity appeared (detected with <see cref="TrainerOptions.CheckFinite"/>).</summary>
    NonFinite,

    /// <summary>An observer asked to stop.</summary>
    Observer,

    /// <summary>The cancellation token was cancelled.</summary>
    Cancelled,
}
