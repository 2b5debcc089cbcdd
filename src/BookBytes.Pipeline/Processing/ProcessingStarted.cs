using BookBytes.AudioBooks;
using BookBytes.Jobs;

namespace BookBytes.Pipeline.Processing;

/// <summary>The result of starting work: the job that will do it and the audiobook it works on.</summary>
/// <param name="Job">The pending job.</param>
/// <param name="AudioBook">The audiobook.</param>
public sealed record ProcessingStarted(Job Job, AudioBook AudioBook);
