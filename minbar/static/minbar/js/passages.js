// passages: comment on a selected passage, answer an editor's question in place.
// Without this script the question markers link to an answer page and
// comments are on the whole article; nothing here is needed to take part.
(() => {
  const body = document.querySelector('.article-body');
  const form = document.getElementById('comment-form');
  const tools = document.getElementById('passage-tools');
  if (!body || !form || !tools) return;

  const CONTEXT = 32;
  const MAX_QUOTE = 1000;
  const BLOCKS = /^(P|H[1-6]|LI|BLOCKQUOTE|DIV|BR|UL|OL|FIGURE|FIGCAPTION|HR)$/;
  const fields = ['question', 'quote', 'quote_prefix', 'quote_suffix', 'quote_position'];

  // The body's text as the server measures it (passages.services.article_text):
  // blocks end with a space, white space collapsed, markers and tools left out.
  const readText = () => {
    let text = '';
    const nodes = [];
    const space = () => {
      if (text && !text.endsWith(' ')) text += ' ';
    };
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        const start = text.length;
        const offsets = [];
        for (const char of node.data) {
          offsets.push(text.length);
          if (/\s/.test(char)) space();
          else text += char;
        }
        offsets.push(text.length);
        nodes.push({ node, start, offsets });
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || node.matches('[data-passage-ui], template, script, style')) return;
      for (const child of node.childNodes) walk(child);
      if (BLOCKS.test(node.nodeName)) space();
    };
    walk(body);
    return { text, nodes };
  };

  // Offsets in the body's text of a selection, or null when it is not (only) inside the body.
  const selectionSpan = (model, range) => {
    let start = null;
    let end = null;
    for (const { node, offsets } of model.nodes) {
      if (!range.intersectsNode(node)) continue;
      // Surrogate pairs take two UTF-16 units: offsets are per code point.
      const index = (unit) => Array.from(node.data.slice(0, unit)).length;
      if (start === null) start = offsets[node === range.startContainer ? index(range.startOffset) : 0];
      end = offsets[node === range.endContainer ? index(range.endOffset) : offsets.length - 1];
    }
    return start === null ? null : { start, end };
  };

  const selectorFor = (text, start, end) => {
    end = Math.min(end, start + MAX_QUOTE);
    while (start < end && text[start] === ' ') start += 1;
    while (end > start && text[end - 1] === ' ') end -= 1;
    return {
      quote: text.slice(start, end),
      quote_prefix: text.slice(Math.max(0, start - CONTEXT), start),
      quote_suffix: text.slice(end, end + CONTEXT),
      quote_position: String(start),
    };
  };

  const template = tools.content;
  const button = template.querySelector('.passage-comment-button').cloneNode(true);
  button.hidden = true;
  button.classList.add('is-floating');
  document.body.append(button);
  const chosen = template.querySelector('.passage-chosen').cloneNode(true);
  chosen.hidden = true;
  const textarea = form.querySelector('textarea[name="text"]');
  (textarea ? textarea.closest('p') : form.querySelector('fieldset')).before(chosen);
  const label = chosen.querySelector('.passage-chosen-label');

  const fill = (values) => {
    for (const name of fields) {
      const input = form.elements.namedItem(name);
      if (input) input.value = values[name] || '';
    }
  };

  const choose = (values, labelText, shownText) => {
    fill(values);
    label.textContent = labelText;
    const shown = shownText.length > 200 ? `${shownText.slice(0, 199)}…` : shownText;
    chosen.querySelector('.passage-chosen-text').textContent = shown;
    chosen.hidden = false;
    form.scrollIntoView({ block: 'start', behavior: 'smooth' });
    if (textarea) textarea.focus({ preventScroll: true });
  };

  const clear = () => {
    fill({});
    chosen.hidden = true;
  };
  chosen.querySelector('.passage-chosen-cancel').addEventListener('click', () => {
    clear();
    if (textarea) textarea.focus();
  });
  // comments.js resets the form once a comment is posted.
  form.addEventListener('reset', clear);

  // The passage chosen by the latest selection: kept, because tapping the
  // button on a phone may clear the selection before the click arrives.
  let selected = null;
  let pending = null;
  const placeButton = () => {
    pending = null;
    const selection = document.getSelection();
    const range = selection && selection.rangeCount && !selection.isCollapsed ? selection.getRangeAt(0) : null;
    if (!range || !body.contains(range.commonAncestorContainer) || !selection.toString().trim()) {
      if (document.activeElement !== button) button.hidden = true;
      return;
    }
    const model = readText();
    const span = selectionSpan(model, range);
    selected = span && span.end > span.start ? selectorFor(model.text, span.start, span.end) : null;
    if (!selected || !selected.quote) {
      button.hidden = true;
      return;
    }
    const rect = range.getBoundingClientRect();
    button.hidden = false;
    // Below the selection, where phones' own selection menus do not go.
    button.style.top = `${rect.bottom + window.scrollY + 8}px`;
    const left = rect.left + rect.width / 2 - button.offsetWidth / 2;
    button.style.left = `${Math.max(8, Math.min(left, document.documentElement.clientWidth - button.offsetWidth - 8)) + window.scrollX}px`;
  };
  document.addEventListener('selectionchange', () => {
    if (pending === null) pending = setTimeout(placeButton, 150);
  });

  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', () => {
    button.hidden = true;
    if (selected) choose(selected, label.dataset.quoting, selected.quote);
  });

  body.addEventListener('click', (event) => {
    const link = event.target.closest('.passage-marker-link');
    if (!link) return;
    event.preventDefault();
    choose({ question: link.dataset.questionId }, label.dataset.answering, link.dataset.question);
  });

  // "Show the passage" under a comment: select it in the body, where the reader can see it.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-passage-quote]');
    if (!link) return;
    const model = readText();
    const wanted = link.dataset.passageQuote.replace(/\s+/g, ' ').trim();
    const start = wanted ? model.text.indexOf(wanted) : -1;
    if (start < 0) return;
    const end = start + wanted.length;
    // The DOM point where the body's text offset starts (or, isEnd, ends) a character.
    const point = (offset, isEnd) => {
      for (const { node, offsets } of model.nodes) {
        for (let k = 0; k < offsets.length - 1; k += 1) {
          if (offsets[k + 1] > offsets[k] && (isEnd ? offsets[k + 1] : offsets[k]) === offset) {
            return [node, Array.from(node.data).slice(0, isEnd ? k + 1 : k).join('').length];
          }
        }
      }
      return null;
    };
    const from = point(start, false);
    const to = point(end, true);
    if (!from || !to) return;
    event.preventDefault();
    const range = document.createRange();
    range.setStart(...from);
    range.setEnd(...to);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    from[0].parentElement.scrollIntoView({ block: 'center', behavior: 'smooth' });
  });
})();
