import { useCallback, useEffect, useRef, useState } from 'react';

// The Web Speech API is not in TypeScript's DOM library; only the part we use is described here.
interface SpeechResultEvent {
  resultIndex: number;
  results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }>;
}
interface Recognition {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((event: SpeechResultEvent) => void) | null;
  onend: (() => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  start(): void;
  stop(): void;
}
type RecognitionConstructor = new () => Recognition;

function recognitionConstructor(): RecognitionConstructor | null {
  const w = window as unknown as {
    SpeechRecognition?: RecognitionConstructor;
    webkitSpeechRecognition?: RecognitionConstructor;
  };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
}

export interface Dictation {
  /** False where the browser offers no speech recognition: the Dictate button is then not shown. */
  supported: boolean;
  listening: boolean;
  error: string | null;
  start: (onText: (text: string) => void) => void;
  stop: () => void;
}

/** Dictation for oily hands: each finished phrase is handed to onText. */
export function useSpeechRecognition(): Dictation {
  const [supported] = useState(() => recognitionConstructor() !== null);
  const [listening, setListening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = useRef<Recognition | null>(null);

  const stop = useCallback(() => active.current?.stop(), []);

  const start = useCallback((onText: (text: string) => void) => {
    const Ctor = recognitionConstructor();
    if (!Ctor || active.current) return;
    const recognition = new Ctor();
    recognition.lang = navigator.language || 'en';
    recognition.continuous = true;
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      for (let i = event.resultIndex; i < event.results.length; i++) {
        const result = event.results[i];
        if (result?.isFinal) onText(result[0].transcript.trim());
      }
    };
    recognition.onerror = (event) => {
      setError(event.error === 'not-allowed' ? 'Microphone access was refused.' : 'Dictation stopped.');
    };
    recognition.onend = () => {
      active.current = null;
      setListening(false);
    };
    active.current = recognition;
    setError(null);
    setListening(true);
    recognition.start();
  }, []);

  useEffect(() => () => active.current?.stop(), []);

  return { supported, listening, error, start, stop };
}
