import { useEditorState, type Editor } from '@tiptap/react';
import { useId, useState, type FormEvent } from 'react';
import { normaliseLink } from './safeLink.ts';

interface Tool {
  label: string;
  /**
   * What the button shows: short, since the bar must fit a phone, but never a letter only a tooltip explains (a
   * touchscreen has no tooltips): B and I are what every editor shows, an H and an h were a riddle.
   */
  face: string;
  isActive: (editor: Editor) => boolean;
  run: (editor: Editor) => void;
}

const TOOLS: Tool[] = [
  {
    label: 'Heading',
    face: 'Heading',
    isActive: (e) => e.isActive('heading', { level: 2 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    label: 'Subheading',
    face: 'Subheading',
    isActive: (e) => e.isActive('heading', { level: 3 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  },
  { label: 'Bold', face: 'B', isActive: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
  {
    label: 'Italic',
    face: 'I',
    isActive: (e) => e.isActive('italic'),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    label: 'Bulleted list',
    face: '•',
    isActive: (e) => e.isActive('bulletList'),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    label: 'Numbered list',
    face: '1.',
    isActive: (e) => e.isActive('orderedList'),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    label: 'Checklist',
    face: '☑',
    isActive: (e) => e.isActive('taskList'),
    run: (e) => e.chain().focus().toggleTaskList().run(),
  },
  {
    label: 'Quote',
    face: '“',
    isActive: (e) => e.isActive('blockquote'),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
];

/** Formatting for the note's body; only shown to those who may edit it. */
export function EditorToolbar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      tools: TOOLS.map((tool) => tool.isActive(e)),
      link: e.isActive('link'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const [linkOpen, setLinkOpen] = useState(false);

  return (
    <div className="note-toolbar" role="toolbar" aria-label="Formatting">
      {TOOLS.map((tool, i) => (
        <button
          key={tool.label}
          type="button"
          className="note-toolbar__button"
          aria-pressed={active.tools[i]}
          aria-label={tool.label}
          title={tool.label}
          // Keep the text selection: a button that takes focus would collapse it on some tablets
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => tool.run(editor)}
        >
          <span aria-hidden="true">{tool.face}</span>
        </button>
      ))}
      <button
        type="button"
        className="note-toolbar__button"
        aria-pressed={active.link}
        aria-expanded={linkOpen}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => (active.link ? editor.chain().focus().unsetLink().run() : setLinkOpen((open) => !open))}
      >
        {active.link ? 'Remove link' : 'Link'}
      </button>
      {/* At the end of the bar; Undo and Redo wrap to the next row together, never one without the other */}
      <span className="note-toolbar__history">
        <button
          type="button"
          className="note-toolbar__button"
          disabled={!active.canUndo}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => editor.chain().focus().undo().run()}
        >
          Undo
        </button>
        <button
          type="button"
          className="note-toolbar__button"
          disabled={!active.canRedo}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => editor.chain().focus().redo().run()}
        >
          Redo
        </button>
      </span>
      {linkOpen && <LinkForm editor={editor} onDone={() => setLinkOpen(false)} />}
    </div>
  );
}

function LinkForm({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    const href = normaliseLink(value);
    if (!href) {
      setProblem('Links must be a web address (https://…) or an e-mail link (mailto:…).');
      return;
    }
    const chain = editor.chain().focus();
    // With nothing selected, the address itself becomes the linked text
    if (editor.state.selection.empty)
      chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    else chain.extendMarkRange('link').setLink({ href }).run();
    onDone();
  }
  return (
    <form className="note-toolbar__link" onSubmit={submit}>
      <label htmlFor={inputId}>Link address</label>
      <input
        id={inputId}
        type="text"
        inputMode="url"
        autoComplete="off"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={!!problem || undefined}
        autoFocus
      />
      <button type="submit" className="button button--secondary">
        Add link
      </button>
      <button type="button" className="button button--ghost" onClick={onDone}>
        Cancel
      </button>
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
