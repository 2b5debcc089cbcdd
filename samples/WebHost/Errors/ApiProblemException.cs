namespace BookBytes.WebHost.Errors;

/// <summary>A request the host itself rejects; <see cref="BookBytesExceptionHandler"/> writes it as problem details.</summary>
internal sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string code, string title, string? detail = null, IDictionary<string, string[]>? errors = null)
        : base(detail ?? title)
    {
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
        Errors = errors;
    }

    public int Status { get; }

    public string Code { get; }

    public string Title { get; }

    public string? Detail { get; }

    public IDictionary<string, string[]>? Errors { get; }

    /// <summary>A 400 with an <c>errors</c> map naming one field.</summary>
    public static ApiProblemException Validation(string field, string message)
        => new(StatusCodes.Status400BadRequest, ApiErrorCodes.ValidationFailed, "The request is invalid.", message, new Dictionary<string, string[]> { [field] = [message] });
}
