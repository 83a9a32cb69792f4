import { useState } from 'react';
import type {
  FocusEvent as ReactFocusEvent,
  KeyboardEvent as ReactKeyboardEvent,
  MouseEvent as ReactMouseEvent,
} from 'react';
import { clampViewport, DEFAULT_VIEWPORT, panByScreen, roundViewPoint, zoomBy } from './geometry.ts';
import { hitTarget } from './hitTarget.ts';
import type { MapInteraction } from './useMapInteraction.ts';
import { ZOOM_STEP } from './zoom.ts';

/** Arrow keys pan this many CSS pixels (Shift: three times as far). */
const KEY_PAN_PX = 48;
/** Arrow keys nudge a selected mark this many CSS pixels (Shift: four times as far). */
const KEY_NUDGE_PX = 4;

/**
 * Keyboard and assistive-tech input on the map: arrows pan, + / - zoom, 0 shows the whole body, Enter places a mark at
 * the crosshair, Escape clears the selection; on a mark or cluster Enter selects / opens, arrows nudge the selected
 * mark. `keyboardFocus` says whether the crosshair is shown.
 */
export function useMapKeyboard(map: MapInteraction) {
  const { vp, size, ppu, selectedId, selectedMark, canPlace, canMove, onSelect, onPlace, onMove } = map;
  const { emitViewport, positionAt, activateCluster } = map;
  const [keyboardFocus, setKeyboardFocus] = useState(false);

  function onKeyDown(e: ReactKeyboardEvent<SVGSVGElement>) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = hitTarget(e.target);
    const onMap = e.target === e.currentTarget;
    // Keys on a map focused by a click: show the crosshair from now on, so Enter never places at an invisible point.
    if (onMap && !keyboardFocus) setKeyboardFocus(true);
    switch (e.key) {
      case 'Enter':
      case ' ': {
        if (target.kind === 'mark') onSelect(target.id);
        else if (target.kind === 'cluster') activateCluster(target.id, true);
        else if (onMap && canPlace && keyboardFocus) {
          const position = positionAt({ x: vp.x, y: vp.y });
          if (position) onPlace(position);
        } else if (!onMap) return;
        break;
      }
      case 'Escape':
        if (selectedId === null) return;
        onSelect(null);
        break;
      case '+':
      case '=':
        emitViewport(zoomBy(vp, size, ZOOM_STEP));
        break;
      case '-':
      case '_':
        emitViewport(zoomBy(vp, size, 1 / ZOOM_STEP));
        break;
      case '0':
        emitViewport(clampViewport(DEFAULT_VIEWPORT, size));
        break;
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight': {
        const dx = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
        const dy = e.key === 'ArrowUp' ? -1 : e.key === 'ArrowDown' ? 1 : 0;
        if (target.kind === 'mark' && target.id === selectedId && canMove && selectedMark && onMove) {
          const step = (e.shiftKey ? KEY_NUDGE_PX * 4 : KEY_NUDGE_PX) / ppu;
          const position = positionAt(
            roundViewPoint({ x: selectedMark.position.x + dx * step, y: selectedMark.position.y + dy * step }),
          );
          if (position) onMove(selectedMark.id, position);
        } else {
          // The content moves the other way: ArrowRight shows more of the screen-right side.
          const step = e.shiftKey ? KEY_PAN_PX * 3 : KEY_PAN_PX;
          emitViewport(panByScreen(vp, size, -dx * step, -dy * step));
        }
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  function onClick(e: ReactMouseEvent<SVGSVGElement>) {
    // Pointer taps are handled on pointerup; a click with detail 0 comes from assistive tech or a synthetic activation.
    if (e.detail !== 0) return;
    const target = hitTarget(e.target);
    if (target.kind === 'mark') onSelect(target.id);
    else if (target.kind === 'cluster') activateCluster(target.id, true);
  }

  function onFocus(e: ReactFocusEvent<SVGSVGElement>) {
    if (e.target !== e.currentTarget) return;
    let visible = true;
    try {
      visible = e.currentTarget.matches(':focus-visible');
    } catch {
      // old engines without :focus-visible: assume keyboard
    }
    setKeyboardFocus(visible);
  }

  function onBlur(e: ReactFocusEvent<SVGSVGElement>) {
    if (e.target === e.currentTarget) setKeyboardFocus(false);
  }

  return { keyboardFocus, handlers: { onKeyDown, onClick, onFocus, onBlur } };
}
