// A client's first hour, written against the types openapi-typescript generates from /openapi/v1.json. It is type-checked
// with tsc --strict (OpenApiDocumentTests): when the document lies about a field, this stops compiling.
import type { components, paths } from "./bookbytes-api";

type Job = components["schemas"]["JobResponse"];
type Problem = components["schemas"]["ProblemDetails"];
type ValidationProblem = components["schemas"]["HttpValidationProblemDetails"];
type ProcessRequest = components["schemas"]["ProcessRequest"];
type Accepted = paths["/api/v1/books/process"]["post"]["responses"][202]["content"]["application/json"];

// A progress bar does arithmetic with progress: a number, not number | string.
export function progressBar(job: Job): string {
  const progress: number = job.progress;
  return "#".repeat(Math.round(progress / 10)).padEnd(10, ".");
}

// Clients switch on the stable code and quote the traceId to the operator.
export function explain(problem: Problem): string {
  const code: string = problem.code;
  const traceId: string = problem.traceId;
  const status: number | null = problem.status;
  return `${status ?? "?"} ${code} (trace ${traceId})`;
}

export function fieldErrors(problem: ValidationProblem): string[] {
  const code: string = problem.code;
  return [code, ...Object.entries(problem.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(" ")}`)];
}

// A 409 names the audiobook that exists and the job working on it.
export function existing(problem: Problem): string | null | undefined {
  return problem.jobId ?? problem.audioBookId;
}

// Only an ISBN: editionId and voice may be left out.
export const byIsbn: ProcessRequest = { isbn: "978-0-306-40615-7" };
export const byEdition: ProcessRequest = { editionId: "0199a3f2-5b10-7f00-a1b2-c3d4e5f60718", mode: "narration", summaryWords: 300 };

// @ts-expect-error one of editionId and isbn is needed
export const neither: ProcessRequest = { voice: "alloy" };

export const follow = (accepted: Accepted): string => `/api/v1/jobs/${accepted.jobId}`;

// The file endpoints say what they send.
type ChapterAudio = paths["/api/v1/audiobooks/{id}/chapters/{number}/audio"]["get"]["responses"];
export type Mp3 = ChapterAudio[200]["content"]["audio/mpeg"];
export type Mp3Range = ChapterAudio[206]["content"]["audio/mpeg"];
export type NotSatisfiable = ChapterAudio[416]["content"]["application/problem+json"];
type Package = paths["/api/v1/audiobooks/{id}/audio"]["get"]["responses"];
export type M4b = Package[200]["content"]["audio/mp4"];
export type Feed = paths["/api/v1/audiobooks/{id}/feed.xml"]["get"]["responses"][200]["content"]["application/rss+xml"];
export type Transcript = paths["/api/v1/audiobooks/{id}/chapters/{number}/transcript.vtt"]["get"]["responses"][200]["content"]["text/vtt"];
export type Cover = paths["/api/v1/audiobooks/{id}/cover"]["get"]["responses"][200]["content"]["image/jpeg"];
export type Limited = paths["/api/v1/books/process"]["post"]["responses"][429]["content"]["application/problem+json"];
export type NotJson = paths["/api/v1/books/process"]["post"]["responses"][415]["content"]["application/problem+json"];
