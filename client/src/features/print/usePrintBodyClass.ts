import { useEffect } from 'react';

/** On <body> while the print summary is shown: print.css hides the app shell (header, toasts) under it. */
export const PRINT_BODY_CLASS = 'print-summary-active';

export function usePrintBodyClass(): void {
  useEffect(() => {
    document.body.classList.add(PRINT_BODY_CLASS);
    return () => document.body.classList.remove(PRINT_BODY_CLASS);
  }, []);
}
