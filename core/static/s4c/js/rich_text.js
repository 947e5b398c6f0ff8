// The admin's rich-text editor (django-prose-editor's ProseMirror build, served from our own
// static files: no CDN, no inline script, so it runs under the strict Content-Security-Policy).
// It edits the textarea it replaces; what it writes is still cleaned by s4c.html.sanitize_html
// when the service saves it. Only the marks the sanitiser keeps are offered.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  Italic,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Text,
  Underline,
  crel,
  initializeEditors,
} from "../../django_prose_editor/editor.js";

const SELECTOR = "textarea[data-s4c-rich-text]";

// django-prose-editor's createTextareaEditor, with Tiptap's injected <style> turned off: the strict
// CSP blocks it, and its rules are served as a static file instead (s4c/css/rich_text.css).
function createTextareaEditor(textarea, extensions) {
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = crel("div", { className: `prose-editor ${disabled ? "disabled" : ""}` });
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new Editor({
    element: wrapper,
    editable: !disabled,
    extensions,
    content: textarea.value,
    injectCSS: false,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      // An empty editor is an empty field, not "<p></p>".
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

function create(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const editor = createTextareaEditor(textarea, [
    Document,
    Dropcursor,
    Gapcursor,
    Paragraph,
    HardBreak,
    Text,
    History,
    Menu,
    Bold,
    Italic,
    Underline,
    Link,
    BulletList,
    OrderedList,
    ListItem,
    Heading.configure({ levels: [2, 3, 4] }),
    Blockquote,
  ]);
  // An Arabic field is written right to left: the editor follows the textarea's direction
  // and language, so the caret, the lists and the menu sit where an Arabic writer expects.
  const wrapper = textarea.closest(".prose-editor");
  const dir = textarea.getAttribute("dir");
  const lang = textarea.getAttribute("lang");
  if (wrapper && dir) wrapper.setAttribute("dir", dir);
  if (wrapper && lang) wrapper.setAttribute("lang", lang);
  if (wrapper) {
    const editable = wrapper.querySelector("[contenteditable]");
    if (editable && dir) editable.setAttribute("dir", dir);
    if (editable && lang) editable.setAttribute("lang", lang);
  }
  return editor;
}

initializeEditors(create, SELECTOR);
