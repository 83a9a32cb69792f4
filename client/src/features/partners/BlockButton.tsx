import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { useToast } from '../../app/ui/Toast.tsx';
import { api } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { queryKeys } from '../../lib/query-keys.ts';

/** Block, after saying what it does; then back to the search, where they no longer appear. */
export function BlockButton({ userId, name }: { userId: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const toast = useToast();
  const block = useMutation({
    mutationFn: () => api.post('/api/blocks', { userId }),
    meta: { invalidates: [queryKeys.partners.all, queryKeys.profiles.all, queryKeys.blocks.all] },
    onSuccess: () => {
      toast(`You blocked ${name}. You can unblock them in Settings.`, 'success');
      navigate('/partners', { replace: true });
    },
  });

  if (!confirming) {
    return (
      <Button variant="ghost" onClick={() => setConfirming(true)}>
        Block {name}
      </Button>
    );
  }
  return (
    <Alert tone="warning" title={`Block ${name}?`}>
      <p>
        You will no longer see each other in search or on profiles, and neither of you can ask the other for an
        exchange. {name} is not told.
      </p>
      {block.error && <p role="alert">{asSentence(block.error.message)}</p>}
      <div className="therapist__confirm">
        <Button variant="danger" busy={block.isPending} onClick={() => block.mutate(undefined)}>
          Block
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
    </Alert>
  );
}
