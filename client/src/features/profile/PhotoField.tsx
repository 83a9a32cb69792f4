import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { photoResponseSchema } from '@kneadback/shared/schemas/profile';
import { Button } from '../../app/ui/Button.tsx';
import { api } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { Avatar } from '../partners/Avatar.tsx';
import { shrinkPhoto } from './shrinkPhoto.ts';

/** Saved at once (apart from the form): choosing a picture is the decision. */
export function PhotoField({
  userId,
  name,
  photoVersion,
}: {
  userId: string;
  name: string;
  photoVersion: string | null;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Shrinking a tablet camera's photo takes a moment before the upload starts; the button shows it is busy
  const [shrinking, setShrinking] = useState(false);
  const invalidates = [queryKeys.profiles.all, queryKeys.partners.all];
  const upload = useMutation({
    mutationFn: (dataUrl: string) => api.put('/api/profiles/me/photo', { dataUrl }, photoResponseSchema),
    meta: { invalidates },
  });
  const remove = useMutation({
    mutationFn: () => api.delete('/api/profiles/me/photo'),
    meta: { invalidates },
  });
  const error = problem ?? upload.error?.message ?? remove.error?.message;

  async function choose(file: File | undefined) {
    if (!file) return;
    setProblem(null);
    setShrinking(true);
    try {
      upload.mutate(await shrinkPhoto(file));
    } catch (err) {
      setProblem(err instanceof Error ? err.message : 'this picture could not be read');
    } finally {
      setShrinking(false);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="photo-field">
      <Avatar name={name} userId={userId} photoVersion={photoVersion} size="lg" />
      <div className="photo-field__actions">
        <input
          ref={input}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          className="visually-hidden"
          aria-label="Choose a photo"
          onChange={(e) => void choose(e.target.files?.[0])}
        />
        <Button variant="secondary" busy={shrinking || upload.isPending} onClick={() => input.current?.click()}>
          {photoVersion ? 'Change photo' : 'Add a photo'}
        </Button>
        {photoVersion && (
          <Button variant="ghost" busy={remove.isPending} onClick={() => remove.mutate(undefined)}>
            Remove photo
          </Button>
        )}
        <p className="field__hint">JPEG, PNG or WebP; shrunk to a small square on this device before it is sent.</p>
        {error && <p className="field__error">{asSentence(error)}</p>}
      </div>
    </div>
  );
}
