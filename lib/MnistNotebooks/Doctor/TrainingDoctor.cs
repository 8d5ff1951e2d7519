using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Training;

namespace MnistNotebooks.Doctor;

/// <summary>Examines a training loop and says what is wrong, with the evidence, the fix and the chapter that teaches
/// it. Works on any loop described as a <see cref="Patient"/>, and on the library's models and trainers.</summary>
/// <example><code>
/// var report = TrainingDoctor.Examine(trainer, xTrain, yTrain);   // before Fit: probes copies only
/// Console.WriteLine(report);                                      // display(report) in a notebook
/// var watch = TrainingDoctor.Attach(trainer, xTrain, yTrain);     // or: examine now, then watch the run
/// trainer.Fit(xTrain, yTrain);
/// Console.WriteLine(watch.Report);
/// </code></example>
public static class TrainingDoctor
{
    /// <summary>Examines <paramref name="patient"/>: measurements on its parameters, then probes on copies of them.</summary>
    public static DoctorReport Examine(Patient patient, DoctorOptions? options = null) => Examination.Run(patient, options);

    /// <summary>Examines the model, loss and optimizer of <paramref name="trainer"/> on <paramref name="inputs"/>.</summary>
    public static DoctorReport Examine<T>(Trainer<T> trainer, Matrix<T> inputs, int[] labels, DoctorOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Examination.Run(LibraryPatient.From(trainer, inputs, labels), options);

    /// <summary>Examines a library model with its loss and (optionally) optimizer, stepping on batches of <paramref name="batchSize"/>.</summary>
    public static DoctorReport Examine<T>(
        Layer<T> model,
        ILoss<T> loss,
        Optimizer<T>? optimizer,
        Matrix<T> inputs,
        int[] labels,
        int batchSize = Patient.FullBatch,
        DoctorOptions? options = null
    )
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Examination.Run(LibraryPatient.From(model, loss, optimizer, inputs, labels, batchSize), options);

    /// <summary>Examines <paramref name="trainer"/> now and adds an observer that watches its next Fit; the observer's
    /// <see cref="DoctorObserver{T}.Report"/> holds both.</summary>
    public static DoctorObserver<T> Attach<T>(Trainer<T> trainer, Matrix<T> inputs, int[] labels, DoctorOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var observer = new DoctorObserver<T>(Examine(trainer, inputs, labels, options));
        trainer.Observers.Add(observer);
        return observer;
    }
}
