// A form's error, announced as it appears; its id lets the fields it is about point at it.
export function FormAlert({ id, error }: { id: string; error: string | null | undefined }) {
  return error ? (
    <p id={id} class="error" role="alert">
      {error}
    </p>
  ) : null;
}
