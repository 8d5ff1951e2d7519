namespace MnistNotebooks.Doctor;

/// <summary>The course's chapters, the one place their file names are written: a finding links to the chapter
/// that teaches its cause and its fix.</summary>
public static class Chapters
{
    public static readonly Chapter Data = new(1, "01-data.ipynb", "Data: load, look, check");

    public static readonly Chapter RawPixels = new(2, "02-raw-pixels-explode.ipynb", "Raw pixels blow up a linear model");

    public static readonly Chapter DeadSigmoids = new(3, "03-dead-sigmoids.ipynb", "No learning rate kills the sigmoids");

    public static readonly Chapter SoftmaxOverflow = new(4, "04-softmax-overflow.ipynb", "Softmax overflow and log(0)");

    public static readonly Chapter WrongAxis = new(5, "05-wrong-axis.ipynb", "The wrong axis: everything becomes one digit");

    public static readonly Chapter WrongGradient = new(6, "06-wrong-gradient.ipynb", "The wrong gradient, found by gradient checking");

    public static readonly Chapter Initialization = new(7, "07-initialization.ipynb", "Initialisation and the first loss");

    public static readonly Chapter InsideARun = new(8, "08-inside-a-run.ipynb", "Looking inside a run");

    public static readonly Chapter LearningRateAndBatch = new(9, "09-learning-rate-and-batch.ipynb", "The learning rate and the batch");

    public static readonly Chapter Optimizers = new(10, "10-optimizers.ipynb", "Optimizers");

    public static readonly Chapter Regularization = new(11, "11-overfitting-and-regularisation.ipynb", "Overfitting and regularisation");

    public static readonly Chapter Evaluation = new(12, "12-evaluation.ipynb", "Evaluation and the final model");

    public static readonly Chapter AskTheDoctor = new(13, "13-ask-the-doctor.ipynb", "Ask the doctor");

    /// <summary>Every chapter, in order.</summary>
    public static IReadOnlyList<Chapter> All { get; } =
    [
        Data,
        RawPixels,
        DeadSigmoids,
        SoftmaxOverflow,
        WrongAxis,
        WrongGradient,
        Initialization,
        InsideARun,
        LearningRateAndBatch,
        Optimizers,
        Regularization,
        Evaluation,
        AskTheDoctor,
    ];
}
